import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type EvaluationRecord } from '@fledge/domain';

import { Caller, type CallContext } from '../auth/auth.decorators.js';
import { type GraphqlContext } from '../common/loaders.js';
import { DatasetVersionObject } from '../dataset/dataset.types.js';
import { ModelVersionObject } from '../model/model.types.js';
import { EvaluationService } from './evaluation.service.js';
import { EvaluateInput, EvaluationComparisonObject, EvaluationObject } from './evaluation.types.js';

@Resolver(() => EvaluationObject)
export class EvaluationResolver {
  constructor(private readonly service: EvaluationService) {}

  @Mutation(() => EvaluationObject, {
    description:
      'Grades a model version on a dataset version (scientist). Returns the pair’s succeeded or running evaluation ' +
      'when there is one. A classifier’s classes are those of its prediction spec (metadata.labels, else the class ' +
      'labels inside the model, else the indices 0..C-1 of its score output); a dataset with a label naming none ' +
      'of them is refused with INVALID_ARGUMENT.',
  })
  evaluate(@Caller() call: CallContext, @Args('input') input: EvaluateInput) {
    return this.service.evaluate(call, input);
  }

  @Query(() => EvaluationObject)
  evaluation(@Args('id', { type: () => ID }) id: string) {
    return this.service.requireEvaluation(id);
  }

  @Query(() => EvaluationComparisonObject, { description: 'Per-metric and per-class deltas of b relative to a.' })
  compareEvaluations(@Args('a', { type: () => ID }) a: string, @Args('b', { type: () => ID }) b: string) {
    return this.service.compare(a, b);
  }

  @ResolveField(() => ModelVersionObject)
  modelVersion(@Parent() evaluation: EvaluationRecord, @Context() ctx: GraphqlContext) {
    return ctx.loaders.modelVersionById.load(evaluation.modelVersionId);
  }

  @ResolveField(() => DatasetVersionObject)
  datasetVersion(@Parent() evaluation: EvaluationRecord, @Context() ctx: GraphqlContext) {
    return ctx.loaders.datasetVersionById.load(evaluation.datasetVersionId);
  }
}
