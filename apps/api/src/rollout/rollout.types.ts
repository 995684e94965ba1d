import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { RolloutState } from '@fledge/domain';

import { Connection } from '../common/connection.js';
import { JsonScalar } from '../graphql/json.scalar.js';
import { RolloutStepObject, SloWindowObject, TrafficWeightObject } from './rollout-event.types.js';

registerEnumType(RolloutState, { name: 'RolloutState' });

@ObjectType('RolloutEvent', { description: 'One recorded decision or change, with its evidence.' })
export class RolloutEventObject {
  @Field(() => Int)
  seq!: number;

  @Field({ description: 'state.changed, gate.evaluated, traffic.applied, slo.window, signal.received, …' })
  type!: string;

  @Field()
  at!: Date;

  @Field(() => JsonScalar, {
    deprecationReason: 'Untyped: use payload, which has one object type per event type.',
    description: 'The detail as the workflow recorded it.',
  })
  detail!: Record<string, unknown>;
}

export const RolloutEventConnection = Connection(RolloutEventObject, 'RolloutEvent');

@ObjectType('RolloutLiveStatus', { description: "The running workflow's own view (polling-friendly)." })
export class RolloutLiveStatusObject {
  @Field(() => RolloutState)
  state!: RolloutState;

  @Field(() => RolloutStepObject, { nullable: true })
  step!: RolloutStepObject | null;

  @Field(() => [TrafficWeightObject])
  weights!: TrafficWeightObject[];

  @Field()
  paused!: boolean;

  @Field()
  awaitingApproval!: boolean;

  @Field(() => [SloWindowObject], { description: 'The most recent SLO windows checked, oldest first.' })
  lastChecks!: SloWindowObject[];

  @Field(() => String, { nullable: true })
  reason!: string | null;
}

@ObjectType('Rollout')
export class RolloutObject {
  @Field(() => ID)
  id!: string;

  @Field(() => RolloutState)
  state!: RolloutState;

  @Field(() => Int)
  currentStep!: number;

  @Field(() => JsonScalar, { description: 'The resolved policy the rollout runs with.' })
  policy!: Record<string, unknown>;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => JsonScalar, { description: 'Evidence of the final decision (gate result, last checks, cause).' })
  evidence!: Record<string, unknown>;

  @Field(() => String, { nullable: true })
  workflowId!: string | null;

  @Field()
  createdBy!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  endpointId!: string;
  candidateVersionId!: string;
  baselineVersionId!: string | null;
}

export const RolloutConnection = Connection(RolloutObject, 'Rollout');

@InputType()
export class PromoteInput {
  @Field()
  endpoint!: string;

  @Field()
  model!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => JsonScalar, {
    nullable: true,
    description:
      'Rollout policy (gate, shadow, canary.steps, slo, checkIntervalSeconds, promote); defaults fill the rest.',
  })
  policy?: Record<string, unknown>;
}

@InputType()
export class RolloutControlInput {
  @Field()
  endpoint!: string;

  @Field({ nullable: true })
  reason?: string;
}

@InputType()
export class RaiseAlarmInput {
  @Field()
  endpoint!: string;

  @Field({ description: 'Alarm name, e.g. HighLatency.' })
  name!: string;

  @Field({ nullable: true })
  summary?: string;

  @Field({ nullable: true, description: 'Default true; false records that the alarm resolved.' })
  firing?: boolean;
}

@ObjectType('Alarm')
export class AlarmObject {
  @Field(() => ID)
  id!: string;

  @Field()
  source!: string;

  @Field()
  name!: string;

  @Field()
  state!: string;

  @Field(() => JsonScalar)
  payload!: Record<string, unknown>;

  @Field()
  fingerprint!: string;

  @Field(() => String, { nullable: true, description: 'The rollout it was sent to, if one was active.' })
  rolloutId!: string | null;

  @Field()
  receivedAt!: Date;
}
