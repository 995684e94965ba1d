import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { Connection } from '../common/connection.js';
import { JsonScalar } from '../graphql/json.scalar.js';

export enum DatasetFormat {
  JSONL = 'jsonl',
  CSV = 'csv',
}
export enum DatasetCompression {
  NONE = 'none',
  GZIP = 'gzip',
}
registerEnumType(DatasetFormat, { name: 'DatasetFormat' });
registerEnumType(DatasetCompression, { name: 'DatasetCompression' });

@ObjectType('Dataset')
export class DatasetObject {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field()
  owner!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType('DatasetVersion')
export class DatasetVersionObject {
  @Field(() => ID)
  id!: string;

  datasetId!: string;

  @Field(() => Int)
  version!: number;

  @Field()
  uri!: string;

  @Field()
  sha256!: string;

  @Field(() => Number)
  sizeBytes!: number;

  @Field(() => Int)
  rowCount!: number;

  @Field(() => DatasetFormat)
  format!: DatasetFormat;

  @Field(() => DatasetCompression)
  compression!: DatasetCompression;

  @Field(() => [String])
  featureColumns!: string[];

  @Field()
  labelColumn!: string;

  @Field(() => [String], { description: 'Distinct label values seen on ingest, sorted.' })
  labels!: string[];

  @Field(() => JsonScalar)
  metadata!: Record<string, unknown>;

  @Field()
  createdBy!: string;

  @Field()
  createdAt!: Date;
}

export const DatasetConnection = Connection(DatasetObject, 'Dataset');
export const DatasetVersionConnection = Connection(DatasetVersionObject, 'DatasetVersion');

@InputType()
export class CreateDatasetInput {
  @Field({ description: 'Unique name: lower-case letters, digits, dashes (1..63 characters).' })
  name!: string;

  @Field({ nullable: true })
  description?: string;
}

@InputType()
export class RegisterDatasetVersionInput {
  @Field()
  dataset!: string;

  @Field(() => ID, { description: 'A completed upload of the data file (see createUpload).' })
  uploadId!: string;

  @Field(() => DatasetFormat)
  format!: DatasetFormat;

  @Field(() => DatasetCompression, { nullable: true, description: 'Detected from the gzip header when omitted.' })
  compression?: DatasetCompression;

  @Field(() => [String])
  featureColumns!: string[];

  @Field()
  labelColumn!: string;

  @Field(() => JsonScalar, { nullable: true })
  metadata?: Record<string, unknown>;
}
