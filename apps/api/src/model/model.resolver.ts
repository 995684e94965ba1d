import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { modelCursor, modelVersionCursor } from '@fledge/db';
import { predictionOf, type ModelRecord, type ModelVersionRecord } from '@fledge/domain';

import { Caller, type CallContext } from '../auth/auth.decorators.js';
import { PageArgs, pageRequest, toConnection } from '../common/connection.js';
import { type GraphqlContext } from '../common/loaders.js';
import { DatasetVersionObject } from '../dataset/dataset.types.js';
import { EvaluationObject } from '../evaluation/evaluation.types.js';
import { PlacementObject } from '../lineage/lineage.types.js';
import { ModelService } from './model.service.js';
import {
  CreateModelInput,
  ModelAliasObject,
  ModelConnection,
  ModelObject,
  ModelsFilter,
  ModelVersionConnection,
  ModelVersionObject,
  ModelVersionRefInput,
  PredictionSpecObject,
  RegisterModelVersionInput,
  SetModelAliasInput,
} from './model.types.js';

@Resolver(() => ModelObject)
export class ModelResolver {
  constructor(private readonly service: ModelService) {}

  @Query(() => ModelObject, { nullable: true, description: 'A model by name.' })
  model(@Args('name') name: string): Promise<ModelRecord | null> {
    return this.service.findModel(name);
  }

  @Query(() => ModelConnection, { description: 'Models ordered by name.' })
  async models(@Args() page: PageArgs, @Args('filter', { nullable: true }) filter?: ModelsFilter) {
    const request = pageRequest(page);
    const { rows, totalCount } = await this.service.listModels(filter ?? {}, request);
    return toConnection(rows, request, totalCount, modelCursor);
  }

  @Mutation(() => ModelObject)
  createModel(@Caller() call: CallContext, @Args('input') input: CreateModelInput): Promise<ModelRecord> {
    return this.service.createModel(call, input);
  }

  @ResolveField(() => ModelVersionObject, { nullable: true, description: 'The highest version.' })
  latestVersion(@Parent() model: ModelRecord, @Context() ctx: GraphqlContext) {
    return ctx.loaders.latestVersionByModel.load(model.id);
  }

  @ResolveField(() => [ModelAliasObject])
  aliases(@Parent() model: ModelRecord, @Context() ctx: GraphqlContext) {
    return ctx.loaders.aliasesByModel.load(model.id);
  }

  @ResolveField(() => ModelVersionConnection, { description: 'Versions, newest first.' })
  async versions(@Parent() model: ModelRecord, @Args() page: PageArgs) {
    const request = pageRequest(page);
    const { rows, totalCount } = await this.service.listVersions(model.id, request);
    return toConnection(rows, request, totalCount, modelVersionCursor);
  }

  @ResolveField(() => ModelVersionObject, { nullable: true })
  async version(@Parent() model: ModelRecord, @Args('version', { type: () => Int }) version: number) {
    return this.service.requireVersion(model.name, version).catch(() => null);
  }
}

@Resolver(() => ModelVersionObject)
export class ModelVersionResolver {
  constructor(private readonly service: ModelService) {}

  @Query(() => ModelVersionObject, { description: 'One version of a model; NOT_FOUND when either is missing.' })
  modelVersion(@Args('model') model: string, @Args('version', { type: () => Int }) version: number) {
    return this.service.requireVersion(model, version);
  }

  @Mutation(() => ModelVersionObject, { description: 'Registers a completed upload as the next version.' })
  registerModelVersion(@Caller() call: CallContext, @Args('input') input: RegisterModelVersionInput) {
    return this.service.registerVersion(call, input);
  }

  @Mutation(() => ModelAliasObject, { description: 'Points an alias (e.g. production) at a version; audited.' })
  setModelAlias(@Caller() call: CallContext, @Args('input') input: SetModelAliasInput) {
    return this.service.setAlias(call, input);
  }

  @Mutation(() => ModelVersionObject)
  archiveModelVersion(@Caller() call: CallContext, @Args('input') input: ModelVersionRefInput) {
    return this.service.archiveVersion(call, input.model, input.version);
  }

  @ResolveField(() => ModelObject)
  model(@Parent() version: ModelVersionRecord, @Context() ctx: GraphqlContext) {
    return ctx.loaders.modelById.load(version.modelId);
  }

  @ResolveField(() => PredictionSpecObject, {
    nullable: true,
    description:
      'What the version predicts: decided at registration (derived from the signature for older versions; null when it has no usable output).',
  })
  async prediction(@Parent() version: ModelVersionRecord, @Context() ctx: GraphqlContext) {
    if (version.prediction) return version.prediction;
    const model = await ctx.loaders.modelById.load(version.modelId);
    try {
      return predictionOf({ ...version, task: model!.task });
    } catch {
      return null;
    }
  }

  @ResolveField(() => [String], { description: 'Aliases pointing at this version.' })
  async aliases(@Parent() version: ModelVersionRecord, @Context() ctx: GraphqlContext) {
    return (await ctx.loaders.aliasesByVersion.load(version.id)).map((a) => a.name);
  }

  @ResolveField(() => DatasetVersionObject, { nullable: true, description: 'Lineage: the training data.' })
  trainingDataset(@Parent() version: ModelVersionRecord, @Context() ctx: GraphqlContext) {
    return version.trainingDatasetVersionId
      ? ctx.loaders.datasetVersionById.load(version.trainingDatasetVersionId)
      : null;
  }

  @ResolveField(() => [EvaluationObject], { description: 'Lineage: evaluations, newest first.' })
  evaluations(@Parent() version: ModelVersionRecord, @Context() ctx: GraphqlContext) {
    return ctx.loaders.evaluationsByVersion.load(version.id);
  }

  @ResolveField(() => [PlacementObject], { description: 'Lineage: endpoint variants serving this version.' })
  endpoints(@Parent() version: ModelVersionRecord, @Context() ctx: GraphqlContext) {
    return ctx.loaders.placementsByVersion.load(version.id);
  }
}
