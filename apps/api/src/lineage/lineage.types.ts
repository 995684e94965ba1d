import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

import { JsonScalar } from '../graphql/json.scalar.js';

@ObjectType('EvaluationSummary', { description: 'An evaluation of a model version on a dataset version.' })
export class EvaluationSummaryObject {
  @Field(() => ID)
  id!: string;

  @Field()
  status!: string;

  @Field(() => JsonScalar, { nullable: true })
  metrics!: Record<string, unknown> | null;

  @Field(() => Int)
  rowsDone!: number;

  @Field(() => Int, { nullable: true })
  rowsTotal!: number | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  datasetVersionId!: string;
}

@ObjectType('Placement', { description: 'An endpoint variant that serves a model version.' })
export class PlacementObject {
  @Field()
  endpoint!: string;

  @Field()
  role!: string;

  @Field(() => Int)
  weight!: number;
}
