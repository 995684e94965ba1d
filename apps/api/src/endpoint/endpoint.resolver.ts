import { Inject } from '@nestjs/common';
import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { endpointCursor, type EndpointRecord } from '@fledge/db';
import { variantName } from '@fledge/domain';

import { API_SETTINGS } from '../api.tokens.js';
import { type ApiSettings } from '../api.settings.js';
import { Caller, type CallContext } from '../auth/auth.decorators.js';
import { PageArgs, pageRequest, toConnection } from '../common/connection.js';
import { type GraphqlContext } from '../common/loaders.js';
import { ModelVersionObject } from '../model/model.types.js';
import { EndpointService } from './endpoint.service.js';
import {
  CreateEndpointInput,
  EndpointConnection,
  EndpointLiveStatsObject,
  EndpointObject,
  EndpointVariantObject,
} from './endpoint.types.js';

@Resolver(() => EndpointObject)
export class EndpointResolver {
  constructor(
    private readonly service: EndpointService,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  @Query(() => EndpointObject, { nullable: true })
  endpoint(@Args('name') name: string): Promise<EndpointRecord | null> {
    return this.service.findEndpoint(name);
  }

  @Query(() => EndpointConnection, { description: 'Endpoints ordered by name.' })
  async endpoints(@Args() page: PageArgs) {
    const request = pageRequest(page);
    const { rows, totalCount } = await this.service.listEndpoints(request);
    return toConnection(rows, request, totalCount, endpointCursor);
  }

  @Mutation(() => EndpointObject, { description: 'Creates an empty endpoint (engineer).' })
  createEndpoint(@Caller() call: CallContext, @Args('input') input: CreateEndpointInput) {
    return this.service.createEndpoint(call, input);
  }

  @ResolveField(() => [EndpointVariantObject], { description: 'Live variants and their traffic weights.' })
  async variants(@Parent() endpoint: EndpointRecord, @Context() ctx: GraphqlContext): Promise<EndpointVariantObject[]> {
    const variants = await ctx.loaders.variantsByEndpoint.load(endpoint.id);
    return variants.map((v) => ({ ...v, name: variantName(v) }));
  }

  @ResolveField(() => EndpointLiveStatsObject, {
    description:
      "Per-variant requests/s, latency percentiles and error rate over the last window, from the endpoint's hosting backend.",
  })
  liveStats(
    @Parent() endpoint: EndpointRecord,
    @Args('windowSeconds', { type: () => Int, defaultValue: 10, description: '1..3600' }) windowSeconds: number,
  ): Promise<EndpointLiveStatsObject> {
    return this.service.liveStats(endpoint, windowSeconds);
  }

  @ResolveField(() => String, {
    nullable: true,
    description:
      'Where clients send requests: the Open Inference Protocol URL (LOCAL) or the SageMaker runtime InvokeEndpoint URL (SAGEMAKER).',
  })
  inferenceUrl(@Parent() endpoint: EndpointRecord): string | null {
    if (endpoint.backend === 'sagemaker') {
      const region = typeof endpoint.options.region === 'string' ? endpoint.options.region : null;
      return region ? `https://runtime.sagemaker.${region}.amazonaws.com/endpoints/${endpoint.name}/invocations` : null;
    }
    return this.settings.servingUrl
      ? `${this.settings.servingUrl.replace(/\/$/, '')}/v2/models/${endpoint.name}/infer`
      : null;
  }
}

@Resolver(() => EndpointVariantObject)
export class EndpointVariantResolver {
  @ResolveField(() => ModelVersionObject)
  modelVersion(@Parent() variant: EndpointVariantObject, @Context() ctx: GraphqlContext) {
    return ctx.loaders.modelVersionById.load(variant.modelVersionId);
  }
}
