import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { Connection, PageArgs } from '../common/connection.js';
import { JsonScalar } from '../graphql/json.scalar.js';

export enum ModelTask {
  CLASSIFICATION = 'classification',
  REGRESSION = 'regression',
}
export enum Modality {
  IMAGE = 'image',
  TEXT = 'text',
  TABULAR = 'tabular',
}
export enum ModelVersionStatus {
  REGISTERED = 'registered',
  VALIDATED = 'validated',
  REJECTED = 'rejected',
  ARCHIVED = 'archived',
}
export enum PredictionKind {
  CLASS_LABEL = 'CLASS_LABEL',
  CLASS_SCORES = 'CLASS_SCORES',
  REGRESSION = 'REGRESSION',
}

export enum ScoreType {
  PROBABILITIES = 'probabilities',
  LOGITS = 'logits',
}

registerEnumType(PredictionKind, {
  name: 'PredictionKind',
  description:
    'CLASS_LABEL: an integer or string [batch] output holding the class; CLASS_SCORES: a float [batch, classes] output whose argmax is the class; REGRESSION: a float [batch] or [batch, 1] value.',
});
registerEnumType(ScoreType, {
  name: 'ScoreType',
  description: 'Class scores are probabilities (rows in [0, 1] summing to 1) or logits (softmax gives probabilities).',
});
registerEnumType(ModelTask, { name: 'ModelTask' });
registerEnumType(Modality, { name: 'Modality' });
registerEnumType(ModelVersionStatus, { name: 'ModelVersionStatus' });

@ObjectType('TensorSpec', { description: 'One input or output of a model, read from the ONNX file.' })
export class TensorSpecObject {
  @Field()
  name!: string;

  @Field({ description: 'Element type as the Open Inference Protocol spells it: FP32, INT64, BYTES, ...' })
  datatype!: string;

  @Field(() => [Int], { description: 'Dimensions; -1 marks a dynamic dimension.' })
  shape!: number[];
}

@ObjectType('ModelSignature')
export class ModelSignatureObject {
  @Field(() => [TensorSpecObject])
  inputs!: TensorSpecObject[];

  @Field(() => [TensorSpecObject])
  outputs!: TensorSpecObject[];
}

@ObjectType('PredictionSpec', {
  description:
    'What a model version predicts and how its outputs are read; grading, shadow agreement and the rollout judge all use it.',
})
export class PredictionSpecObject {
  @Field({ description: 'The output compared between versions and graded.' })
  output!: string;

  @Field(() => PredictionKind)
  kind!: PredictionKind;

  @Field(() => [String], { nullable: true, description: 'Class names in score order; null for regression.' })
  classes!: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Where the class names came from: model (the file), metadata (metadata.labels) or index.',
  })
  classSource!: string | null;

  @Field(() => String, { nullable: true, description: 'The class-score output used for log-loss and calibration.' })
  scoresOutput!: string | null;

  @Field(() => ScoreType, { nullable: true })
  scores!: ScoreType | null;

  @Field(() => String, { nullable: true, description: 'declared (at registration), detected (probe runs) or assumed.' })
  scoresSource!: string | null;
}

@InputType({ description: 'Overrides what registration decides the version predicts.' })
export class PredictionOverrideInput {
  @Field({ nullable: true, description: 'The output to compare and grade (must be one of the model’s outputs).' })
  output?: string;

  @Field(() => ScoreType, { nullable: true, description: 'Declares the class scores as probabilities or logits.' })
  scores?: ScoreType;
}

@ObjectType('Model')
export class ModelObject {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => ModelTask)
  task!: ModelTask;

  @Field(() => Modality)
  modality!: Modality;

  @Field()
  description!: string;

  @Field()
  owner!: string;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@ObjectType('ModelVersion')
export class ModelVersionObject {
  @Field(() => ID)
  id!: string;

  modelId!: string;

  @Field(() => Int)
  version!: number;

  @Field()
  artifactUri!: string;

  @Field()
  sha256!: string;

  @Field(() => Number, { description: 'Artifact size in bytes.' })
  sizeBytes!: number;

  @Field()
  format!: string;

  @Field(() => ModelSignatureObject)
  signature!: ModelSignatureObject;

  @Field(() => JsonScalar, { description: 'Hyperparameters, training metrics, free tags.' })
  metadata!: Record<string, unknown>;

  @Field()
  description!: string;

  @Field(() => ModelVersionStatus)
  status!: ModelVersionStatus;

  trainingDatasetVersionId!: string | null;

  @Field()
  createdBy!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType('ModelAlias')
export class ModelAliasObject {
  @Field()
  name!: string;

  @Field(() => Int)
  version!: number;

  versionId!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The endpoint whose successful rollouts move this alias (aliases follow endpoints); null when it was set by hand.',
  })
  endpoint!: string | null;

  @Field()
  updatedAt!: Date;
}

export const ModelConnection = Connection(ModelObject, 'Model');
export const ModelVersionConnection = Connection(ModelVersionObject, 'ModelVersion');

@InputType()
export class CreateModelInput {
  @Field({ description: 'Unique name: lower-case letters, digits, dashes (1..63 characters).' })
  name!: string;

  @Field(() => ModelTask)
  task!: ModelTask;

  @Field(() => Modality)
  modality!: Modality;

  @Field({ nullable: true })
  description?: string;
}

@InputType()
export class ModelsFilter {
  @Field({ nullable: true, description: 'Case-insensitive substring of the name.' })
  nameContains?: string;

  @Field(() => ModelTask, { nullable: true })
  task?: ModelTask;

  @Field(() => Modality, { nullable: true })
  modality?: Modality;
}

@InputType()
export class DatasetVersionRef {
  @Field()
  dataset!: string;

  @Field(() => Int)
  version!: number;
}

@InputType()
export class RegisterModelVersionInput {
  @Field({ description: 'Model name.' })
  model!: string;

  @Field(() => ID, { description: 'A completed upload of the ONNX file (see createUpload).' })
  uploadId!: string;

  @Field({ nullable: true })
  description?: string;

  @Field(() => JsonScalar, { nullable: true, description: 'Hyperparameters, training metrics, free tags.' })
  metadata?: Record<string, unknown>;

  @Field(() => DatasetVersionRef, { nullable: true, description: 'The dataset version it was trained on (lineage).' })
  trainingDataset?: DatasetVersionRef;

  @Field(() => PredictionOverrideInput, {
    nullable: true,
    description: 'Which output carries the prediction and how its scores read; detected from the file when absent.',
  })
  prediction?: PredictionOverrideInput;
}

@InputType()
export class SetModelAliasInput {
  @Field()
  model!: string;

  @Field({ description: 'Alias name, e.g. production or champion.' })
  alias!: string;

  @Field(() => Int)
  version!: number;
}

@InputType()
export class ModelVersionRefInput {
  @Field()
  model!: string;

  @Field(() => Int)
  version!: number;
}

export { PageArgs };
