import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { JsonScalar } from '../graphql/json.scalar.js';

export enum EvaluationStatus {
  PENDING = 'pending',
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
}
registerEnumType(EvaluationStatus, { name: 'EvaluationStatus' });

@ObjectType('Evaluation', { description: 'A model version graded on a dataset version.' })
export class EvaluationObject {
  @Field(() => ID)
  id!: string;

  @Field(() => EvaluationStatus)
  status!: EvaluationStatus;

  @Field(() => Int)
  rowsDone!: number;

  @Field(() => Int, { nullable: true })
  rowsTotal!: number | null;

  @Field(() => JsonScalar, {
    nullable: true,
    description:
      'Classification: accuracy, macroF1, weightedF1, macroPrecision, macroRecall, logLoss, ece, topK, perClass ' +
      '[{label, precision, recall, f1, support}], confusionMatrix[actual][predicted], calibration. ' +
      'Regression: mae, rmse, r2.',
  })
  metrics!: Record<string, unknown> | null;

  @Field(() => Float, { nullable: true, description: 'Rows per second of grading time.' })
  throughput!: number | null;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Batch latency percentiles in ms, and run facts (attempts, resumedFromRow, rowsGraded, batchSize).',
  })
  latency!: Record<string, unknown> | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the evaluation failed (names the row when a row is at fault).',
  })
  error!: string | null;

  @Field()
  createdBy!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  modelVersionId!: string;
  datasetVersionId!: string;
}

@InputType()
export class EvaluateInput {
  @Field({ description: 'Model name.' })
  model!: string;

  @Field(() => Int)
  version!: number;

  @Field({ description: 'Dataset name.' })
  dataset!: string;

  @Field(() => Int)
  datasetVersion!: number;
}

@ObjectType('MetricDelta', { description: 'One metric of two evaluations: delta = b − a.' })
export class MetricDeltaObject {
  @Field()
  metric!: string;

  @Field(() => Float)
  a!: number;

  @Field(() => Float)
  b!: number;

  @Field(() => Float)
  delta!: number;

  @Field({ description: 'Whether b is better than a, given the direction of the metric.' })
  improved!: boolean;
}

@ObjectType('ClassDelta')
export class ClassDeltaObject {
  @Field()
  label!: string;

  @Field(() => MetricDeltaObject)
  f1!: MetricDeltaObject;

  @Field(() => MetricDeltaObject)
  precision!: MetricDeltaObject;

  @Field(() => MetricDeltaObject)
  recall!: MetricDeltaObject;
}

@ObjectType('EvaluationComparison', { description: 'Per-metric and per-class deltas of b relative to a.' })
export class EvaluationComparisonObject {
  @Field(() => EvaluationObject)
  a!: EvaluationObject;

  @Field(() => EvaluationObject)
  b!: EvaluationObject;

  @Field(() => [MetricDeltaObject])
  metrics!: MetricDeltaObject[];

  @Field(() => [ClassDeltaObject])
  perClass!: ClassDeltaObject[];
}
