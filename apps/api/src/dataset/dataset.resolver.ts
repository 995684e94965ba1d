import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { datasetCursor, datasetVersionCursor } from '@fledge/db';
import { type DatasetRecord, type DatasetVersionRecord } from '@fledge/domain';

import { Caller, type CallContext } from '../auth/auth.decorators.js';
import { clampLimit, limitArg, PageArgs, pageRequest, toConnection } from '../common/connection.js';
import { type GraphqlContext } from '../common/loaders.js';
import { EvaluationObject } from '../evaluation/evaluation.types.js';
import { ModelVersionObject } from '../model/model.types.js';
import { DatasetService } from './dataset.service.js';
import {
  CreateDatasetInput,
  DatasetConnection,
  DatasetObject,
  DatasetVersionConnection,
  DatasetVersionObject,
  RegisterDatasetVersionInput,
} from './dataset.types.js';

@Resolver(() => DatasetObject)
export class DatasetResolver {
  constructor(private readonly service: DatasetService) {}

  @Query(() => DatasetObject, { nullable: true })
  dataset(@Args('name') name: string): Promise<DatasetRecord | null> {
    return this.service.findDataset(name);
  }

  @Query(() => DatasetConnection, { description: 'Datasets ordered by name.' })
  async datasets(@Args() page: PageArgs) {
    const request = pageRequest(page);
    const { rows, totalCount } = await this.service.listDatasets(request);
    return toConnection(rows, request, totalCount, datasetCursor);
  }

  @Mutation(() => DatasetObject)
  createDataset(@Caller() call: CallContext, @Args('input') input: CreateDatasetInput) {
    return this.service.createDataset(call, input);
  }

  @ResolveField(() => DatasetVersionConnection, { description: 'Versions, newest first.' })
  async versions(@Parent() dataset: DatasetRecord, @Args() page: PageArgs) {
    const request = pageRequest(page);
    const { rows, totalCount } = await this.service.listVersions(dataset.id, request);
    return toConnection(rows, request, totalCount, datasetVersionCursor);
  }
}

@Resolver(() => DatasetVersionObject)
export class DatasetVersionResolver {
  constructor(private readonly service: DatasetService) {}

  @Query(() => DatasetVersionObject)
  datasetVersion(@Args('dataset') dataset: string, @Args('version', { type: () => Int }) version: number) {
    return this.service.requireVersion(dataset, version);
  }

  @Mutation(() => DatasetVersionObject, { description: 'Registers a completed upload as the next version.' })
  registerDatasetVersion(@Caller() call: CallContext, @Args('input') input: RegisterDatasetVersionInput) {
    return this.service.registerVersion(call, input);
  }

  @ResolveField(() => DatasetObject)
  dataset(@Parent() version: DatasetVersionRecord, @Context() ctx: GraphqlContext) {
    return ctx.loaders.datasetById.load(version.datasetId);
  }

  @ResolveField(() => [EvaluationObject], { description: 'Where used: evaluations graded on it, newest first.' })
  evaluations(@Parent() version: DatasetVersionRecord, @Args('limit', limitArg) limit: number) {
    return this.service.evaluationsOn(version.id, clampLimit(limit));
  }

  @ResolveField(() => [ModelVersionObject], { description: 'Where used: model versions trained on it, newest first.' })
  trainedModelVersions(@Parent() version: DatasetVersionRecord, @Args('limit', limitArg) limit: number) {
    return this.service.versionsTrainedOn(version.id, clampLimit(limit));
  }
}
