import { createUnionType, Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { RolloutState } from '@fledge/domain';

import { VariantTrafficStats } from '../common/variant-traffic.types.js';
import { JsonScalar } from '../graphql/json.scalar.js';

// Typed rollout events: what the rollout workflow records (workflows/src/contracts/rollout.contract.ts),
// one object type per event type. Events are decoded from their stored JSON by rollout-event.payload.ts.

export enum RolloutPhaseEnum {
  SHADOW = 'shadow',
  CANARY = 'canary',
  APPROVAL = 'approval',
  PROMOTING = 'promoting',
  FINAL = 'final',
  ROLLBACK = 'rollback',
}
registerEnumType(RolloutPhaseEnum, { name: 'RolloutPhase' });

export enum SloVerdictEnum {
  PASS = 'pass',
  FAIL = 'fail',
  INCONCLUSIVE = 'inconclusive',
}
export enum SloCheckStatusEnum {
  PASS = 'pass',
  FAIL = 'fail',
  INCONCLUSIVE = 'inconclusive',
  SKIPPED = 'skipped',
}
registerEnumType(SloCheckStatusEnum, { name: 'SloCheckStatus' });

export enum SloComparisonEnum {
  RELATIVE = 'relative',
  ABSOLUTE_ONLY = 'absolute-only',
}
registerEnumType(SloComparisonEnum, {
  name: 'SloComparison',
  description:
    'RELATIVE: candidate and baseline compared on the same window; ABSOLUTE_ONLY: the baseline served too little, only absolute limits applied.',
});

registerEnumType(SloVerdictEnum, {
  name: 'SloVerdict',
  description: 'PASS: every rule holds; FAIL: a rule is broken; INCONCLUSIVE: too few samples to say (the bake waits).',
});

@ObjectType('RolloutVersionRef', { description: 'A model version as the rollout workflow names it.' })
export class RolloutVersionRefObject {
  @Field(() => ID)
  modelVersionId!: string;

  @Field()
  modelName!: string;

  @Field(() => Int)
  version!: number;
}

@ObjectType('RolloutStep', { description: "The workflow's current step." })
export class RolloutStepObject {
  @Field({ description: 'Idempotency key of the step: shadow, canary-1, …, approval, promoting, final, rollback.' })
  key!: string;

  @Field(() => RolloutPhaseEnum)
  phase!: RolloutPhaseEnum;

  @Field(() => Int, { description: "Ordinal of the step in the rollout's plan, 1-based." })
  ordinal!: number;

  @Field(() => Int, { nullable: true, description: '1-based canary step (canary phase only).' })
  canaryStep!: number | null;

  @Field(() => Int)
  canarySteps!: number;

  @Field(() => Int, { nullable: true, description: "The candidate's share of routed traffic; null in shadow." })
  weight!: number | null;

  @Field(() => Int)
  bakeSeconds!: number;

  @Field(() => Int, { description: 'Bake time served so far.' })
  bakedSeconds!: number;
}

@ObjectType('GateRuleResult', {
  description: "One rule of the offline gate: the candidate's value against its threshold.",
})
export class GateRuleResultObject {
  @Field({ description: 'minAccuracy, maxAccuracyDrop, minMacroF1, …' })
  rule!: string;

  @Field()
  passed!: boolean;

  @Field(() => Float, { nullable: true, description: 'The measured value (null when it could not be measured).' })
  actual!: number | null;

  @Field(() => Float)
  threshold!: number;

  @Field({ description: 'The rule in words, with its numbers.' })
  reason!: string;
}

@ObjectType('GateResult')
export class GateResultObject {
  @Field()
  passed!: boolean;

  @Field({ description: 'True when the policy names no dataset: nothing was graded.' })
  skipped!: boolean;

  @Field(() => [GateRuleResultObject])
  rules!: GateRuleResultObject[];

  @Field()
  summary!: string;
}

@ObjectType('GateEvaluationRef', { description: 'An evaluation the gate decided on.' })
export class GateEvaluationRefObject {
  @Field(() => ID)
  evaluationId!: string;

  @Field({ description: 'pending, running, succeeded or failed.' })
  status!: string;
}

@ObjectType('SloCheck', { description: 'One SLO rule of a window: the measured value against its limit.' })
export class SloCheckObject {
  @Field({ description: 'errorRate, p99LatencyMs, p99LatencyRelative, agreement, …' })
  check!: string;

  @Field()
  passed!: boolean;

  @Field(() => Float, { nullable: true })
  actual!: number | null;

  @Field(() => Float, { nullable: true, description: 'The limit the value is held to (null when none applied).' })
  threshold!: number | null;

  @Field(() => SloCheckStatusEnum, { description: 'SKIPPED: the rule did not apply to this window.' })
  status!: SloCheckStatusEnum;

  @Field({
    description: "A hard rule's failure rolls back at once; the others need failureThreshold failing windows in a row.",
  })
  hard!: boolean;

  @Field(() => Float, { nullable: true, description: "The statistical rules' p-value (null for plain comparisons)." })
  pValue!: number | null;

  @Field({ description: 'The rule in words, with its numbers.' })
  detail!: string;
}

@ObjectType('VariantWindowStats', {
  description: "One variant's traffic in an SLO window, as the backend reported it.",
  implements: () => [VariantTrafficStats],
})
export class VariantWindowStatsObject extends VariantTrafficStats {
  @Field(() => Float)
  maxMs!: number;

  @Field(() => String, { nullable: true, description: 'Where the numbers came from: local or cloudwatch.' })
  source!: string | null;

  // As the judge counted the window (null in windows recorded before the statistical judge).

  @Field(() => Int, {
    nullable: true,
    description: 'Requests that are evidence about the model (client errors the policy does not count left out).',
  })
  judgedRequests!: number | null;

  @Field(() => Int, { nullable: true, description: 'Requests answered without an error.' })
  successes!: number | null;

  @Field(() => Int, { nullable: true, description: 'Server-side faults: the error budget.' })
  serverErrors!: number | null;

  @Field(() => Float, { nullable: true, description: 'Errors counted toward the budget per judged request.' })
  errorRate!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Median latency (from the latency distribution where there is one).',
  })
  medianMs!: number | null;
}

@ObjectType('LatencyComparison', {
  description: "The candidate's latencies against the baseline's, and everything the comparison was decided on.",
})
export class LatencyComparisonObject {
  @Field({
    description:
      'mann-whitney: a rank test on both latency distributions; percentile: the median shift and the p99 rule (no distribution from the backend).',
  })
  method!: string;

  @Field({ description: 'local or cloudwatch.' })
  source!: string;

  @Field(() => String, { nullable: true, description: 'Why the rank test was not used, where it was not.' })
  note!: string | null;

  @Field(() => Float, { nullable: true, description: 'Mann–Whitney U.' })
  u!: number | null;

  @Field(() => Float, { nullable: true })
  z!: number | null;

  @Field(() => Float, { nullable: true })
  pValue!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the p-value is exact (not the normal approximation).' })
  exact!: boolean | null;

  @Field(() => Float, { nullable: true, description: "Shift of the candidate's latencies over the baseline's, in ms." })
  shiftMs!: number | null;

  @Field(() => Float, { nullable: true, description: 'The shift per baseline median.' })
  shiftRatio!: number | null;

  @Field(() => Float, { description: 'Significance level.' })
  alpha!: number;

  @Field(() => Float, { nullable: true, description: 'The minimum effect in force, in ms.' })
  minShiftMs!: number | null;
}

@ObjectType('SloEvaluation', { description: 'The verdict on one window and every rule it used.' })
export class SloEvaluationObject {
  @Field(() => SloVerdictEnum)
  verdict!: SloVerdictEnum;

  @Field({ description: 'A hard rule failed: the rollout rolls back at once, whatever the failure streak.' })
  hard!: boolean;

  @Field(() => SloComparisonEnum)
  comparison!: SloComparisonEnum;

  @Field(() => String, { nullable: true, description: 'Why only absolute limits applied, where they did.' })
  note!: string | null;

  @Field()
  summary!: string;

  @Field(() => [SloCheckObject])
  checks!: SloCheckObject[];

  @Field(() => LatencyComparisonObject, { nullable: true })
  latency!: LatencyComparisonObject | null;
}

@ObjectType('SloWindow', { description: 'One SLO window checked during a bake, with the numbers it was decided on.' })
export class SloWindowObject extends SloEvaluationObject {
  @Field({ description: 'When the window was checked (workflow time).' })
  at!: Date;

  @Field(() => RolloutPhaseEnum)
  phase!: RolloutPhaseEnum;

  @Field()
  stepKey!: string;

  @Field(() => VariantWindowStatsObject)
  candidate!: VariantWindowStatsObject;

  @Field(() => VariantWindowStatsObject, { nullable: true, description: 'Null for a first deploy (no baseline).' })
  baseline!: VariantWindowStatsObject | null;

  @Field(() => Int, {
    description: 'Failing windows in a row that share no traffic, this one included (0 when it did not fail).',
  })
  consecutiveFailures!: number;

  @Field(() => Int, { description: 'A failure that is not hard rolls back after this many in a row.' })
  failureThreshold!: number;

  @Field(() => Float, { nullable: true, description: "The step's bake observed so far, after this window (seconds)." })
  observedSeconds!: number | null;

  @Field(() => Int, { nullable: true, description: "The step's bake required (seconds)." })
  bakeSeconds!: number | null;
}

@ObjectType('RollbackCause', { description: 'Why a rollout stopped: an alarm, an SLO failure, an abort, an error.' })
export class RollbackCauseObject {
  @Field({ description: 'alarm, slo, insufficient-samples, abort or error.' })
  kind!: string;

  @Field({ description: 'The cause in words.' })
  description!: string;

  @Field(() => RolloutPhaseEnum, {
    nullable: true,
    description: 'slo, insufficient-samples: the phase it happened in.',
  })
  phase!: RolloutPhaseEnum | null;

  @Field(() => String, { nullable: true, description: 'slo, insufficient-samples: the verdict in words.' })
  summary!: string | null;

  @Field(() => String, { nullable: true, description: 'alarm: its source (alertmanager, cloudwatch, …).' })
  source!: string | null;

  @Field(() => String, { nullable: true, description: 'alarm: its name.' })
  name!: string | null;

  @Field(() => ID, { nullable: true, description: "alarm: the Alarm's id." })
  alarmId!: string | null;

  @Field(() => String, { nullable: true, description: 'abort: who sent it.' })
  by!: string | null;

  @Field(() => String, { nullable: true, description: 'abort: the reason given.' })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'error: the error message.' })
  message!: string | null;
}

@ObjectType('TrafficWeight', { description: 'A variant of the endpoint as the rollout set it.' })
export class TrafficWeightObject {
  @Field()
  name!: string;

  @Field({ description: 'primary, canary or shadow.' })
  role!: string;

  @Field(() => Int, { description: 'Share of routed traffic in percent (shadows: 0).' })
  weight!: number;

  @Field(() => Float, { description: 'Shadows: the share of primary traffic mirrored to them.' })
  shadowSampleRate!: number;
}

// ── one object type per event type ─────────────────────────────────────────────────────────────

@ObjectType('RolloutStartedEvent', { description: 'rollout.started: the plan the workflow will run.' })
export class RolloutStartedEventObject {
  @Field(() => RolloutVersionRefObject)
  candidate!: RolloutVersionRefObject;

  @Field(() => RolloutVersionRefObject, { nullable: true })
  baseline!: RolloutVersionRefObject | null;

  @Field()
  initiatedBy!: string;

  @Field(() => [String], { description: 'Planned step keys, in order.' })
  stages!: string[];

  @Field(() => JsonScalar, { description: 'The resolved policy.' })
  policy!: Record<string, unknown>;
}

@ObjectType('RolloutContinuedEvent', { description: 'rollout.continued: the workflow continued as a new run.' })
export class RolloutContinuedEventObject {
  @Field(() => Int)
  run!: number;

  @Field(() => Int, { nullable: true })
  historyLength!: number | null;
}

@ObjectType('StateChangedEvent', { description: 'state.changed: the rollout entered a state.' })
export class StateChangedEventObject {
  @Field(() => RolloutState)
  state!: RolloutState;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => RolloutStepObject, { nullable: true })
  step!: RolloutStepObject | null;
}

@ObjectType('GateEvaluatedEvent', { description: "gate.evaluated: the offline gate's verdict, rule by rule." })
export class GateEvaluatedEventObject {
  @Field(() => GateResultObject)
  gate!: GateResultObject;

  @Field(() => GateEvaluationRefObject, { nullable: true })
  candidateEvaluation!: GateEvaluationRefObject | null;

  @Field(() => GateEvaluationRefObject, { nullable: true })
  baselineEvaluation!: GateEvaluationRefObject | null;
}

@ObjectType('TrafficAppliedEvent', { description: 'traffic.applied: the endpoint now serves these variants.' })
export class TrafficAppliedEventObject {
  @Field()
  stepKey!: string;

  @Field(() => [TrafficWeightObject])
  variants!: TrafficWeightObject[];

  @Field({ description: 'True when a retry found the change already made.' })
  alreadyApplied!: boolean;
}

@ObjectType('SloWindowCheckedEvent', { description: 'slo.window: one SLO window checked during a bake.' })
export class SloWindowCheckedEventObject {
  @Field(() => SloWindowObject)
  window!: SloWindowObject;

  @Field({ description: 'True when the rollout was paused at the time.' })
  paused!: boolean;
}

@ObjectType('StepCompletedEvent', { description: 'step.completed: a step ended (or waits for samples).' })
export class StepCompletedEventObject {
  @Field()
  stepKey!: string;

  @Field({ description: 'advance, wait-for-samples, approved or promoted.' })
  decision!: string;

  @Field(() => SloEvaluationObject, { nullable: true, description: 'advance, wait-for-samples: the last window.' })
  evidence!: SloEvaluationObject | null;

  @Field(() => Int, { nullable: true, description: 'wait-for-samples: how long the rollout waits for traffic.' })
  maxSampleWaitSeconds!: number | null;

  @Field(() => String, { nullable: true, description: 'approved: who approved.' })
  by!: string | null;

  @Field(() => RolloutVersionRefObject, { nullable: true, description: 'promoted: the version now serving.' })
  promoted!: RolloutVersionRefObject | null;

  @Field(() => RolloutVersionRefObject, { nullable: true, description: 'promoted: the version it replaced.' })
  replaced!: RolloutVersionRefObject | null;
}

@ObjectType('SignalReceivedEvent', {
  description: 'signal.received: an operator or an alert source signalled the rollout.',
})
export class SignalReceivedEventObject {
  @Field({ description: 'alarm, abort, pause, resume or approve.' })
  signal!: string;

  @Field({ description: 'When the workflow received it.' })
  receivedAt!: Date;

  @Field(() => RolloutState, { description: 'The state the rollout was in.' })
  state!: RolloutState;

  @Field(() => String, { nullable: true, description: 'What it did: rollback, abort, ignored: …' })
  action!: string | null;

  @Field(() => String, { nullable: true, description: 'Operator signals: who sent it.' })
  by!: string | null;

  @Field(() => String, { nullable: true, description: 'abort: the reason given.' })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'alarm: its source.' })
  source!: string | null;

  @Field(() => String, { nullable: true, description: 'alarm: its name.' })
  name!: string | null;

  @Field(() => ID, { nullable: true })
  alarmId!: string | null;

  @Field(() => String, { nullable: true, description: "alarm: the alert's summary." })
  summary!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'approve: whether the rollout was waiting for it.' })
  awaitingApproval!: boolean | null;
}

@ObjectType('RollbackCompletedEvent', { description: 'rollback.completed: traffic is back on the baseline.' })
export class RollbackCompletedEventObject {
  @Field(() => RollbackCauseObject, { nullable: true })
  cause!: RollbackCauseObject | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => [TrafficWeightObject], { description: 'What the endpoint serves now.' })
  variants!: TrafficWeightObject[];

  @Field(() => [SloWindowObject], { description: 'The last SLO windows before the rollback.' })
  lastChecks!: SloWindowObject[];

  @Field(() => String, { nullable: true, description: 'Set when the candidate could not be removed.' })
  cleanupError!: string | null;
}

@ObjectType('CleanupFailedEvent', { description: 'cleanup.failed: the candidate stays loaded at 0%.' })
export class CleanupFailedEventObject {
  @Field()
  stepKey!: string;

  @Field()
  error!: string;
}

@ObjectType('RolloutFinishedEvent', { description: 'rollout.finished: the outcome and its evidence.' })
export class RolloutFinishedEventObject {
  @Field(() => RolloutState)
  state!: RolloutState;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => [TrafficWeightObject], { description: 'What the endpoint was left serving.' })
  variants!: TrafficWeightObject[];

  @Field(() => GateResultObject, { nullable: true })
  gate!: GateResultObject | null;

  @Field(() => RollbackCauseObject, { nullable: true })
  cause!: RollbackCauseObject | null;

  @Field(() => [SloWindowObject])
  lastChecks!: SloWindowObject[];

  @Field(() => String, { nullable: true })
  cleanupError!: string | null;
}

@ObjectType('UnrecognizedRolloutEvent', {
  description: 'An event type this API does not know (written by a newer workflow): its raw detail.',
})
export class UnrecognizedRolloutEventObject {
  @Field()
  type!: string;

  @Field(() => JsonScalar)
  detail!: Record<string, unknown>;
}

export const payloadTypes = {
  'rollout.started': RolloutStartedEventObject,
  'rollout.continued': RolloutContinuedEventObject,
  'rollout.finished': RolloutFinishedEventObject,
  'state.changed': StateChangedEventObject,
  'gate.evaluated': GateEvaluatedEventObject,
  'traffic.applied': TrafficAppliedEventObject,
  'slo.window': SloWindowCheckedEventObject,
  'step.completed': StepCompletedEventObject,
  'signal.received': SignalReceivedEventObject,
  'rollback.completed': RollbackCompletedEventObject,
  'cleanup.failed': CleanupFailedEventObject,
} as const;

export type RolloutEventKind = keyof typeof payloadTypes;

/** A decoded event payload; `kind` (not in the schema) picks its GraphQL type. */
export type RolloutEventPayload =
  | { [K in RolloutEventKind]: InstanceType<(typeof payloadTypes)[K]> & { kind: K } }[RolloutEventKind]
  | (UnrecognizedRolloutEventObject & { kind: 'unrecognized' });

export const RolloutEventPayloadUnion = createUnionType({
  name: 'RolloutEventPayload',
  description: "An event's typed detail: one object type per event type.",
  types: () => [...Object.values(payloadTypes), UnrecognizedRolloutEventObject] as const,
  resolveType: (payload: RolloutEventPayload) =>
    payload.kind === 'unrecognized' ? UnrecognizedRolloutEventObject : payloadTypes[payload.kind],
});
