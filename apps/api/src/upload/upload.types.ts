import { Extensions, Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum UploadKind {
  MODEL = 'model',
  DATASET = 'dataset',
}
export enum UploadStatus {
  PENDING = 'pending',
  RECEIVING = 'receiving',
  COMPLETE = 'complete',
  CONSUMED = 'consumed',
}
registerEnumType(UploadKind, { name: 'UploadKind' });
registerEnumType(UploadStatus, { name: 'UploadStatus' });

@ObjectType('Upload', {
  description: 'A place to stream one file to: PUT the raw bytes to `url` with the same API key, then register it.',
})
export class UploadObject {
  @Field(() => ID)
  id!: string;

  @Field(() => UploadKind)
  kind!: UploadKind;

  @Field(() => UploadStatus)
  status!: UploadStatus;

  @Field({ description: 'Path on the API server to PUT the bytes to.' })
  url!: string;

  @Field(() => Number)
  maxBytes!: number;

  @Field(() => String, { nullable: true })
  sha256!: string | null;

  @Field(() => Number, { nullable: true })
  sizeBytes!: number | null;

  @Field()
  expiresAt!: Date;
}

@InputType()
export class CreateUploadInput {
  @Field(() => UploadKind)
  kind!: UploadKind;

  @Extensions({ maxLength: 255 })
  @Field({ nullable: true, description: 'Original file name (at most 255 characters), kept for the record only.' })
  filename?: string;
}
