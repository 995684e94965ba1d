import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { alarmCursor, type AlarmRecord } from '@fledge/db';

import { PageArgs, pageRequest, toConnection } from '../common/connection.js';
import { type GraphqlContext } from '../common/loaders.js';
import { EndpointObject } from '../endpoint/endpoint.types.js';
import { AlarmObject } from '../rollout/rollout.types.js';
import { AlarmService } from './alarm.service.js';
import { AlarmConnection, AlarmStateEnum } from './alarm.types.js';

@Resolver(() => AlarmObject)
export class AlarmResolver {
  constructor(private readonly service: AlarmService) {}

  @Query(() => AlarmConnection, { description: 'Alarms of every endpoint, newest first, optionally filtered.' })
  async alarms(
    @Args() page: PageArgs,
    @Args('endpoint', { nullable: true, description: 'Endpoint name.' }) endpoint?: string,
    @Args('state', { type: () => AlarmStateEnum, nullable: true }) state?: AlarmStateEnum,
    @Args('source', { nullable: true, description: 'alertmanager, cloudwatch, operator, …' }) source?: string,
  ) {
    const request = pageRequest(page);
    const { rows, totalCount } = await this.service.listAlarms({ endpoint, state, source }, request);
    return toConnection(rows, request, totalCount, alarmCursor);
  }

  @ResolveField(() => EndpointObject)
  endpoint(@Parent() alarm: AlarmRecord, @Context() ctx: GraphqlContext) {
    return ctx.loaders.endpointById.load(alarm.endpointId);
  }
}
