import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { Connection } from '../common/connection.js';
import { VariantTrafficStats } from '../common/variant-traffic.types.js';
import { JsonScalar } from '../graphql/json.scalar.js';

export enum EndpointBackendEnum {
  LOCAL = 'local',
  SAGEMAKER = 'sagemaker',
}
registerEnumType(EndpointBackendEnum, { name: 'EndpointBackend' });

@ObjectType('Endpoint', { description: 'A hosted model endpoint: variants of model versions with traffic weights.' })
export class EndpointObject {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => EndpointBackendEnum)
  backend!: EndpointBackendEnum;

  @Field(() => JsonScalar, { description: 'Backend options with defaults filled in.' })
  options!: Record<string, unknown>;

  @Field()
  description!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType('EndpointVariant', { description: 'One model version served by an endpoint.' })
export class EndpointVariantObject {
  @Field({ description: 'Variant name: <model>-v<version>.' })
  name!: string;

  @Field()
  role!: string;

  @Field(() => Int, { description: 'Share of routed traffic in percent (shadows: 0, they get mirrored traffic).' })
  weight!: number;

  @Field()
  shadowSampleRate!: number;

  @Field()
  modelName!: string;

  @Field(() => Int)
  version!: number;

  modelVersionId!: string;
}

export const EndpointConnection = Connection(EndpointObject, 'Endpoint');

@InputType()
export class CreateEndpointInput {
  @Field({ description: 'Unique name: lower-case letters, digits, dashes (1..63 characters).' })
  name!: string;

  @Field(() => EndpointBackendEnum, { nullable: true, description: 'Default LOCAL (the Fledge serving runtime).' })
  backend?: EndpointBackendEnum;

  @Field(() => JsonScalar, {
    nullable: true,
    description:
      'LOCAL: { batching: { maxBatchSize, maxQueueDelayUs } }; SAGEMAKER: { region, executionRoleArn, image, ' +
      'instanceType, initialInstanceCount, roles: { primary|canary|shadow: { instanceType, instanceCount } }, tags, ' +
      'dataCapture: { destinationS3Uri, samplingPercentage } } (region, role and image default to the API settings).',
  })
  options?: Record<string, unknown>;

  @Field({ nullable: true })
  description?: string;
}

@ObjectType('VariantLiveStats', {
  description: "One variant's traffic over the last window, as its hosting backend reports it.",
  implements: () => [VariantTrafficStats],
})
export class VariantLiveStatsObject extends VariantTrafficStats {
  @Field()
  role!: string;

  @Field(() => Int)
  weight!: number;

  @Field(() => Float, { description: 'Requests per second over the window.' })
  requestsPerSecond!: number;

  @Field(() => Float, { description: 'errors / requests (0 without requests).' })
  errorRate!: number;

  // Always counted live (0 for a variant that is not a shadow).
  @Field(() => Int, { description: 'Shadow variants: mirrored requests compared with the primary.' })
  declare shadowSamples: number;
}

@ObjectType('EndpointLiveStats', { description: 'Per-variant live statistics of an endpoint (polling-friendly).' })
export class EndpointLiveStatsObject {
  @Field({ description: 'When the backend was read (server time).' })
  at!: Date;

  @Field(() => Int)
  windowSeconds!: number;

  @Field(() => [VariantLiveStatsObject], { description: 'Empty while the endpoint serves nothing.' })
  variants!: VariantLiveStatsObject[];
}
