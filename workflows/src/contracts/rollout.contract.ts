import { defineQuery, defineSignal } from '@temporalio/workflow';

import {
  type DesiredVariant,
  type EvaluationMetrics,
  type FailureStreak,
  type GateResult,
  type RollbackCause,
  type RolloutPolicy,
  type RolloutState,
  type SloEvaluation,
  type VariantJudged,
  type VariantWindowStats,
  type VersionRef,
} from '@fledge/domain';

export const ROLLOUT_WORKFLOW_TYPE = 'rolloutWorkflow';

/** At most one active rollout per endpoint: the id is the business key, so a second start conflicts. */
export function rolloutWorkflowId(endpointName: string): string {
  return `rollout:${endpointName}`;
}

export interface EndpointRef {
  id: string;
  name: string;
}

export interface RolloutInput {
  /** The Rollout row the API created; every activity is keyed by it. */
  rolloutId: string;
  endpoint: EndpointRef;
  candidate: VersionRef;
  /** The version serving the endpoint now; null for a first deploy (gate, then straight to 100%). */
  baseline: VersionRef | null;
  /** Already resolved and validated (`resolveRolloutPolicy`): the workflow trusts it. */
  policy: RolloutPolicy;
  initiatedBy: string;
  /** The API key that asked for the rollout (audit by key id); absent for rollouts started before keys were audited by id. */
  initiatedById?: string | null;
  /** The API request that asked for the rollout: the audit row of the rollout's record names it. */
  requestId?: string | null;
  options?: RolloutOptions;
  /** Set only by the workflow itself when it continues as new; callers leave it out. */
  carry?: RolloutCarry;
}

export interface RolloutOptions {
  /** Continue as new once the history holds this many events (the server may suggest it earlier). */
  maxHistoryEvents?: number;
}

export type RolloutPhase = 'shadow' | 'canary' | 'approval' | 'promoting' | 'final' | 'rollback';

export interface RolloutStepStatus {
  /**
   * Idempotency key of the step's traffic change (`shadow`, `canary-1`, …, `promoting`, `final`,
   * `rollback`, `cleanup`): unique per step within a rollout and stable across retries and replays.
   */
  key: string;
  phase: RolloutPhase;
  /** Ordinal of the step in this rollout's plan, 1-based (the registry's `currentStep`). */
  ordinal: number;
  /** 1-based canary step and the number of canary steps (canary phase only). */
  canaryStep: number | null;
  canarySteps: number;
  /** The candidate's share of routed traffic, or null in shadow (mirrored only). */
  weight: number | null;
  bakeSeconds: number;
  /**
   * Bake time observed so far: each check that passes adds the time since the one before, at
   * most one check interval. Downtime, late timers, failing or inconclusive windows and pauses
   * do not count.
   */
  bakedSeconds: number;
}

/** A variant's window as the backend reported it (without the latency bins) and as the judge counted it. */
export type JudgedWindowStats = Omit<VariantWindowStats, 'latency'> & VariantJudged;

/**
 * One SLO window checked during a bake, with every number the verdict used: the judge's
 * evaluation (`verdict`, `hard`, `comparison` with its `note`, each check with its threshold and
 * p-value, the latency test's U, p-value and shift), both variants' stats from the same window,
 * the failure streak and the bake's observed time.
 */
export interface WindowCheck extends Omit<SloEvaluation, 'candidate' | 'baseline'> {
  /** Workflow time, ISO 8601. */
  at: string;
  phase: RolloutPhase;
  stepKey: string;
  candidate: JudgedWindowStats;
  baseline: JudgedWindowStats | null;
  /**
   * Failing windows in a row that share no traffic, this one included (see `FailureStreak`); a
   * non-hard failure rolls back at `failureThreshold`.
   */
  consecutiveFailures: number;
  failureThreshold: number;
  /** The step's bake: observed so far (after this window) and required. */
  observedSeconds: number;
  bakeSeconds: number;
}

export interface RolloutStateChange {
  at: string;
  state: RolloutState;
  reason: string | null;
}

export interface RolloutStatus {
  rolloutId: string;
  state: RolloutState;
  step: RolloutStepStatus | null;
  /** The endpoint's desired variants as last applied by this rollout (empty before any traffic change). */
  weights: DesiredVariant[];
  paused: boolean;
  awaitingApproval: boolean;
  approvedBy: string | null;
  /** The most recent SLO windows, newest last (bounded). */
  lastChecks: WindowCheck[];
  reason: string | null;
  cause: RollbackCause | null;
  gate: GateResult | null;
  /** State changes of this rollout, oldest first (bounded). */
  history?: RolloutStateChange[];
}

export interface RolloutResult {
  rolloutId: string;
  /** A terminal state: SUCCEEDED, REJECTED, ROLLED_BACK, ABORTED or FAILED. */
  state: RolloutState;
  reason: string | null;
  cause: RollbackCause | null;
  gate: GateResult | null;
  /** What the endpoint was left serving. */
  variants: DesiredVariant[];
  /** A rollback that restored traffic but could not remove the candidate says so here. */
  cleanupError: string | null;
}

export interface AlarmSignal {
  /** alertmanager, cloudwatch, slo-monitor, operator, … */
  source: string;
  name: string;
  alarmId?: string;
  detail?: Record<string, unknown>;
}

export interface AbortSignal {
  by: string;
  reason: string;
}

export interface OperatorSignal {
  by?: string;
}

export interface ApproveSignal {
  by: string;
}

/** A firing alarm rolls back a rollout whose candidate carries traffic; earlier it is recorded only. */
export const alarmSignal = defineSignal<[AlarmSignal]>('alarm');
/** Stops the rollout: before any traffic change it ends ABORTED at once, later through a rollback. */
export const abortSignal = defineSignal<[AbortSignal]>('abort');
/** Holds traffic where it is and stops the bake clock; SLO checks, alarms and abort still act. */
export const pauseSignal = defineSignal<[OperatorSignal?]>('pause');
export const resumeSignal = defineSignal<[OperatorSignal?]>('resume');
/** The manual gate before PROMOTING when the policy requires approval. */
export const approveSignal = defineSignal<[ApproveSignal]>('approve');
export const statusQuery = defineQuery<RolloutStatus>('status');

export type RolloutEventType =
  | 'rollout.started'
  | 'rollout.continued'
  | 'rollout.finished'
  | 'state.changed'
  | 'gate.evaluated'
  | 'traffic.applied'
  | 'slo.window'
  | 'step.completed'
  | 'signal.received'
  | 'rollback.completed'
  | 'cleanup.failed';

export interface RecordEventInput {
  rolloutId: string;
  /** Order of the event within the rollout (1, 2, …), assigned by the workflow: a retried write upserts. */
  seq: number;
  type: RolloutEventType;
  /** Workflow time, ISO 8601. */
  at: string;
  detail: Record<string, unknown>;
}

export interface SetRolloutStateInput {
  rolloutId: string;
  state: RolloutState;
  step: RolloutStepStatus | null;
  reason: string | null;
  at: string;
  /** Set with terminal states: the decision's evidence (gate result, last checks, cause). */
  evidence?: Record<string, unknown>;
}

export interface GradeForGateInput {
  rolloutId: string;
  datasetVersionId: string;
  candidate: VersionRef;
  baseline: VersionRef | null;
}

export interface GateEvaluation {
  evaluationId: string;
  /** `pending` and `running` only in the gate's progress reads: the gate decides on finished ones. */
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  /** Null until the grading succeeded. */
  metrics: EvaluationMetrics | null;
  error?: string;
}

/** The gate decides once every grading it waits for has succeeded or failed. */
export function gateGradingSettled({ candidate, baseline }: GateEvaluations): boolean {
  return [candidate, baseline].every((e) => !e || e.status === 'succeeded' || e.status === 'failed');
}

/** The evaluations a waiting gate reads back (ids from `startGateGrading`). */
export interface ReadGateGradingInput {
  candidate: string;
  baseline: string | null;
}

/** What the rollout's registry row is created from (see `openRollout`). */
export type OpenRolloutInput = Pick<
  RolloutInput,
  'rolloutId' | 'endpoint' | 'candidate' | 'baseline' | 'policy' | 'initiatedBy' | 'initiatedById' | 'requestId'
>;

export interface GateEvaluations {
  /** Null only when the candidate could not be graded at all (the gate then fails). */
  candidate: GateEvaluation | null;
  /** Null for a first deploy, or when the baseline has no evaluation (relative rules are then skipped). */
  baseline: GateEvaluation | null;
}

export interface ApplyTrafficInput {
  rolloutId: string;
  /** Idempotency key: (rolloutId, stepKey) is applied at most once, whatever the retries and replays. */
  stepKey: string;
  endpoint: EndpointRef;
  /** The complete desired variant set (validated by `validateVariants`). */
  variants: DesiredVariant[];
}

export interface ApplyTrafficResult {
  /** True when this key had been applied before and nothing was changed now. */
  alreadyApplied: boolean;
}

export interface ReadWindowStatsInput {
  endpoint: EndpointRef;
  /** Variant names whose stats are wanted. */
  variants: string[];
  windowSeconds: number;
}

export interface FinalizePromotionInput {
  rolloutId: string;
  endpoint: EndpointRef;
  candidate: VersionRef;
  baseline: VersionRef | null;
}

export interface CleanupCandidateInput {
  rolloutId: string;
  /** Idempotency key of the variant change that removes the candidate. */
  stepKey: string;
  endpoint: EndpointRef;
  candidate: VersionRef;
  /** What the endpoint keeps serving once the candidate is removed. */
  variants: DesiredVariant[];
}

/**
 * What the worker implements (apps/worker/src/activities); the workflow uses it as a type only.
 * Every activity must be idempotent: each may be retried, and the workflow replays. Business
 * failures throw non-retryable `ApplicationFailure`s; transient ones throw plain errors. The
 * backend activities (`applyTraffic`, `cleanupCandidate`) have a 20 s heartbeat timeout: one that
 * waits on a slow backend (a SageMaker update) heartbeats every few seconds; a quick one need not.
 */
export interface RolloutActivities {
  /**
   * Writes the rollout's registry row and its audit row unless they exist. The API starts the
   * workflow first and writes the row after, so an API that dies in between leaves a rollout that
   * records itself, never a row without a workflow. Idempotent by `rolloutId`; a non-retryable
   * CONFLICT when another rollout of the endpoint is active in the registry.
   */
  openRollout(input: OpenRolloutInput): Promise<void>;
  /**
   * Starts the offline gate's gradings and returns at once: the candidate's (and baseline's)
   * evaluation on the dataset version, reused when one exists, else created, with its
   * `gradingWorkflow` started or joined (id `gradingWorkflowId(...)`, USE_EXISTING). A child
   * workflow could not join a grading the API already started for the pair, hence an activity.
   * A baseline that cannot be graded comes back null (the relative rules are then skipped).
   */
  startGateGrading(input: GradeForGateInput): Promise<GateEvaluations>;
  /**
   * The gate's evaluations as they are now; one whose grading workflow has ended without
   * recording an outcome (terminated, timed out) reads as failed. The workflow waits between reads
   * on a timer, so no worker slot is held while the gradings run.
   */
  readGateGrading(input: ReadGateGradingInput): Promise<GateEvaluations>;
  /**
   * Grades and waits inside one long activity. Only rollouts started before the gate waited in the
   * workflow call it (they replay without the `gate-waits-in-workflow` patch); remove it once none
   * runs.
   */
  gradeForGate(input: GradeForGateInput): Promise<GateEvaluations>;
  /** Makes the endpoint serve exactly `variants`, once per (rolloutId, stepKey). */
  applyTraffic(input: ApplyTrafficInput): Promise<ApplyTrafficResult>;
  /** Live per-variant stats over the last `windowSeconds`; a variant with no traffic may be left out. */
  readWindowStats(input: ReadWindowStatsInput): Promise<VariantWindowStats[]>;
  recordEvent(input: RecordEventInput): Promise<void>;
  setRolloutState(input: SetRolloutStateInput): Promise<void>;
  /**
   * Registry bookkeeping of a success: the candidate is validated and the endpoint's aliases of its
   * model follow it (the registry's one alias rule, `ModelAliasService.followPromotion`).
   */
  finalizePromotion(input: FinalizePromotionInput): Promise<void>;
  /** Removes the candidate from the endpoint (after traffic is back on the baseline) and frees its resources. */
  cleanupCandidate(input: CleanupCandidateInput): Promise<void>;
}

/** The workflow's own state, carried across continue-as-new. */
export interface RolloutCarry {
  state: RolloutState;
  /** Index of the stage to resume in the workflow's plan. */
  stage: number;
  /** Step key whose traffic is already applied (not re-applied on resume). */
  appliedKey: string | null;
  /** Observed bake time of the current step (see `RolloutStepStatus.bakedSeconds`). */
  bakedMs: number;
  /** Unpaused workflow time since the current step's traffic change (bounds the wait for samples). */
  stepMs?: number;
  /** Failing windows in a row so far (see `FailureStreak`). */
  failureStreak?: FailureStreak;
  paused: boolean;
  approvedBy: string | null;
  cause: RollbackCause | null;
  seq: number;
  weights: DesiredVariant[];
  lastChecks: WindowCheck[];
  history: RolloutStateChange[];
  gate: GateResult | null;
  reason: string | null;
  runs: number;
}
