import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  rolloutCursor,
  rolloutEventCursor,
  type AlarmRecord,
  type EndpointRecord,
  type RolloutEventRecord,
  type RolloutRecord,
} from '@fledge/db';

import { AlertsAllowed, Caller, type CallContext } from '../auth/auth.decorators.js';
import { clampLimit, limitArg, PageArgs, pageRequest, toConnection } from '../common/connection.js';
import { type GraphqlContext } from '../common/loaders.js';
import { EndpointObject } from '../endpoint/endpoint.types.js';
import { ModelVersionObject } from '../model/model.types.js';
import { decodeEventPayload, decodeStep, decodeWindows } from './rollout-event.payload.js';
import { RolloutEventPayloadUnion } from './rollout-event.types.js';
import { RolloutService } from './rollout.service.js';
import {
  AlarmObject,
  PromoteInput,
  RaiseAlarmInput,
  RolloutConnection,
  RolloutControlInput,
  RolloutEventConnection,
  RolloutEventObject,
  RolloutLiveStatusObject,
  RolloutObject,
} from './rollout.types.js';

/**
 * What one event's payload costs in the query budget, whatever its selection: it is decoded from
 * the event's row already read, and its schema has no connections or lists that grow (a few
 * variants, rules, checks; at most 10 windows), so it is a constant amount of work and bytes. A
 * page of events then costs its page size times a small constant, as other connections do.
 */
const EVENT_PAYLOAD_COST = 5;

@Resolver(() => RolloutObject)
export class RolloutResolver {
  constructor(private readonly service: RolloutService) {}

  @Query(() => RolloutObject, { description: 'A rollout by id; NOT_FOUND when missing.' })
  rollout(@Args('id', { type: () => ID }) id: string) {
    return this.service.requireRollout(id);
  }

  @Query(() => RolloutConnection, { description: "An endpoint's rollouts, newest first." })
  async rollouts(@Args('endpoint') endpoint: string, @Args() page: PageArgs) {
    const request = pageRequest(page);
    const { rows, totalCount } = await this.service.listRollouts(endpoint, request);
    return toConnection(rows, request, totalCount, rolloutCursor);
  }

  @Mutation(() => RolloutObject, {
    description: 'Replaces the version an endpoint serves: offline gate → shadow → canary steps → full (engineer).',
  })
  promote(@Caller() call: CallContext, @Args('input') input: PromoteInput) {
    return this.service.promote(call, input);
  }

  @Mutation(() => RolloutObject, {
    description: 'First version of an empty endpoint: offline gate, then 100% (engineer).',
  })
  deployModelVersion(@Caller() call: CallContext, @Args('input') input: PromoteInput) {
    return this.service.deploy(call, input);
  }

  @Mutation(() => RolloutObject, { description: 'Takes the candidate back out: traffic to the baseline first.' })
  abortRollout(@Caller() call: CallContext, @Args('input') input: RolloutControlInput) {
    return this.service.control(call, input.endpoint, 'abort', input.reason);
  }

  @Mutation(() => RolloutObject, { description: 'Holds traffic where it is and stops the bake clock.' })
  pauseRollout(@Caller() call: CallContext, @Args('input') input: RolloutControlInput) {
    return this.service.control(call, input.endpoint, 'pause', input.reason);
  }

  @Mutation(() => RolloutObject)
  resumeRollout(@Caller() call: CallContext, @Args('input') input: RolloutControlInput) {
    return this.service.control(call, input.endpoint, 'resume', input.reason);
  }

  @Mutation(() => RolloutObject, { description: 'The manual gate before full traffic, when the policy asks for one.' })
  approveRollout(@Caller() call: CallContext, @Args('input') input: RolloutControlInput) {
    return this.service.control(call, input.endpoint, 'approve', input.reason);
  }

  @AlertsAllowed()
  @Mutation(() => [AlarmObject], {
    description: 'Records an alarm for an endpoint; a firing one rolls back its active rollout (alerts or engineer).',
  })
  raiseAlarm(@Caller() call: CallContext, @Args('input') input: RaiseAlarmInput): Promise<AlarmRecord[]> {
    return this.service.raiseAlarm(call, input);
  }

  @ResolveField(() => EndpointObject)
  endpoint(@Parent() rollout: RolloutRecord, @Context() ctx: GraphqlContext) {
    return ctx.loaders.endpointById.load(rollout.endpointId);
  }

  @ResolveField(() => ModelVersionObject)
  candidate(@Parent() rollout: RolloutRecord, @Context() ctx: GraphqlContext) {
    return ctx.loaders.modelVersionById.load(rollout.candidateVersionId);
  }

  @ResolveField(() => ModelVersionObject, { nullable: true })
  baseline(@Parent() rollout: RolloutRecord, @Context() ctx: GraphqlContext) {
    return rollout.baselineVersionId ? ctx.loaders.modelVersionById.load(rollout.baselineVersionId) : null;
  }

  @ResolveField(() => RolloutEventConnection, {
    description: 'Every decision and change, in order (oldest first), with its evidence.',
  })
  async events(@Parent() rollout: RolloutRecord, @Args() page: PageArgs) {
    const request = pageRequest(page);
    const { rows, totalCount } = await this.service.eventPage(rollout.id, request);
    return toConnection(rows, request, totalCount, rolloutEventCursor);
  }

  @ResolveField(() => [AlarmObject], { description: 'Alarms that acted on this rollout.' })
  alarms(@Parent() rollout: RolloutRecord, @Context() ctx: GraphqlContext) {
    return ctx.loaders.alarmsByRollout.load(rollout.id);
  }

  @ResolveField(() => RolloutLiveStatusObject, {
    nullable: true,
    description: "The running workflow's live status (state, step, weights, checks); null once finished.",
  })
  async live(@Parent() rollout: RolloutRecord, @Context() ctx: GraphqlContext) {
    const endpoint = (await ctx.loaders.endpointById.load(rollout.endpointId))!;
    const status = await this.service.liveStatus(rollout, endpoint.name);
    return status && { ...status, step: decodeStep(status.step), lastChecks: decodeWindows(status.lastChecks) };
  }
}

@Resolver(() => RolloutEventObject)
export class RolloutEventResolver {
  @ResolveField(() => RolloutEventPayloadUnion, {
    description: "The event's detail, typed by its event type.",
    complexity: () => EVENT_PAYLOAD_COST,
  })
  payload(@Parent() event: RolloutEventRecord) {
    return decodeEventPayload(event.type, event.detail);
  }
}

@Resolver(() => EndpointObject)
export class EndpointRolloutsResolver {
  constructor(private readonly service: RolloutService) {}

  @ResolveField(() => RolloutObject, { nullable: true, description: 'The rollout in progress, if any.' })
  activeRollout(@Parent() endpoint: EndpointRecord) {
    return this.service.activeRollout(endpoint.id);
  }

  @ResolveField(() => [AlarmObject], { description: 'Recent alarms, newest first.' })
  alarms(@Parent() endpoint: EndpointRecord, @Args('limit', limitArg) limit: number) {
    return this.service.alarmsOf(endpoint.id, clampLimit(limit));
  }
}
