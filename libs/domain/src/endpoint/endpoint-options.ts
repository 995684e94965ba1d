import { FledgeError } from '@fledge/errors';

export type EndpointBackend = 'local' | 'sagemaker';

export interface BatchingOptions {
  /** Requests stacked into one model run (models with a dynamic batch dimension). */
  maxBatchSize: number;
  /** Longest a request waits for others to join its batch, in microseconds. */
  maxQueueDelayUs: number;
}

export interface LocalEndpointOptions {
  batching: BatchingOptions;
}

export type SageMakerVariantRole = 'primary' | 'canary' | 'shadow';

/** Instances of one SageMaker production (or shadow) variant. */
export interface SageMakerCapacity {
  instanceType: string;
  instanceCount: number;
}

export interface SageMakerDataCapture {
  /** `s3://bucket/prefix` where SageMaker writes captured requests and responses. */
  destinationS3Uri: string;
  /** Share of requests captured, 0..100. */
  samplingPercentage: number;
}

export interface SageMakerEndpointOptions {
  region: string;
  /** IAM role SageMaker assumes to pull the image and the model package. */
  executionRoleArn: string;
  /** Inference container image (ECR URI): Fledge's serving image or any SageMaker-compatible one. */
  image: string;
  /** Default capacity of every variant. */
  instanceType: string;
  initialInstanceCount: number;
  /** Capacity per role, defaults filled in (a candidate may run smaller while it is a canary or shadow). */
  roles: Record<SageMakerVariantRole, SageMakerCapacity>;
  /** Tags put on every SageMaker resource Fledge creates for the endpoint. */
  tags: Record<string, string>;
  dataCapture: SageMakerDataCapture | null;
}

export type EndpointOptions = LocalEndpointOptions | SageMakerEndpointOptions;

/** Settings of the process that fill what a SageMaker endpoint's options leave out. */
export interface SageMakerOptionDefaults {
  region?: string;
  executionRoleArn?: string;
  image?: string;
}

export const defaultBatching: BatchingOptions = { maxBatchSize: 32, maxQueueDelayUs: 500 };
export const defaultSageMakerInstanceType = 'ml.m5.large';

function refuse(field: string, problem: string): FledgeError {
  return new FledgeError('INVALID_ARGUMENT', `endpoint options: ${field} ${problem}`, {
    reason: 'ENDPOINT_OPTIONS_INVALID',
    details: { field },
  });
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw refuse(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

function text(value: unknown, field: string, pattern: RegExp, hint: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw refuse(field, hint);
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(value: unknown, field: string): Record<string, unknown> {
  if (!isObject(value)) throw refuse(field, 'must be an object');
  return value;
}

function onlyKeys(obj: Record<string, unknown>, allowed: string[], prefix: string): void {
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) throw refuse(`${prefix}${key}`, 'is not an option');
}

// The patterns SageMaker's API documents for these fields.
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const IMAGE = /^[\S]{1,255}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const INSTANCE_TYPE = /^ml\.[a-z0-9-]+\.[a-z0-9]+$/;
const S3_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/;
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const MAX_TAGS = 40;
const ROLES: SageMakerVariantRole[] = ['primary', 'canary', 'shadow'];

function resolveLocal(options: Record<string, unknown>): LocalEndpointOptions {
  onlyKeys(options, ['batching'], '');
  const batching = object(options.batching ?? {}, 'batching');
  onlyKeys(batching, ['maxBatchSize', 'maxQueueDelayUs'], 'batching.');
  return {
    batching: {
      maxBatchSize: integer(batching.maxBatchSize ?? defaultBatching.maxBatchSize, 'batching.maxBatchSize', 1, 1024),
      maxQueueDelayUs: integer(
        batching.maxQueueDelayUs ?? defaultBatching.maxQueueDelayUs,
        'batching.maxQueueDelayUs',
        0,
        1_000_000,
      ),
    },
  };
}

function resolveSageMaker(
  options: Record<string, unknown>,
  defaults: SageMakerOptionDefaults,
): SageMakerEndpointOptions {
  onlyKeys(
    options,
    ['region', 'executionRoleArn', 'image', 'instanceType', 'initialInstanceCount', 'roles', 'tags', 'dataCapture'],
    '',
  );
  const executionRoleArn = options.executionRoleArn ?? defaults.executionRoleArn;
  if (executionRoleArn === undefined) {
    throw refuse('executionRoleArn', 'is required for a SageMaker endpoint (or set FLEDGE_SAGEMAKER_ROLE_ARN)');
  }
  const image = options.image ?? defaults.image;
  if (image === undefined) {
    throw refuse('image', 'is required for a SageMaker endpoint (or set FLEDGE_SAGEMAKER_IMAGE)');
  }
  const instanceType = text(
    options.instanceType ?? defaultSageMakerInstanceType,
    'instanceType',
    INSTANCE_TYPE,
    'must be a SageMaker instance type such as ml.m5.large',
  );
  const initialInstanceCount = integer(options.initialInstanceCount ?? 1, 'initialInstanceCount', 1, 100);

  const rolesInput = object(options.roles ?? {}, 'roles');
  onlyKeys(rolesInput, ROLES, 'roles.');
  const roles = {} as Record<SageMakerVariantRole, SageMakerCapacity>;
  for (const role of ROLES) {
    const capacity = object(rolesInput[role] ?? {}, `roles.${role}`);
    onlyKeys(capacity, ['instanceType', 'instanceCount'], `roles.${role}.`);
    roles[role] = {
      instanceType: text(
        capacity.instanceType ?? instanceType,
        `roles.${role}.instanceType`,
        INSTANCE_TYPE,
        'must be a SageMaker instance type such as ml.m5.large',
      ),
      instanceCount: integer(capacity.instanceCount ?? initialInstanceCount, `roles.${role}.instanceCount`, 1, 100),
    };
  }

  const tagsInput = object(options.tags ?? {}, 'tags');
  const tags: Record<string, string> = {};
  if (Object.keys(tagsInput).length > MAX_TAGS) throw refuse('tags', `may hold at most ${MAX_TAGS} tags`);
  for (const [key, value] of Object.entries(tagsInput)) {
    if (!TAG_KEY.test(key)) throw refuse(`tags.${key}`, 'is not a valid tag key (1..128 characters, not aws:)');
    tags[key] = text(value, `tags.${key}`, TAG_VALUE, 'must be a tag value of at most 256 characters');
  }

  let dataCapture: SageMakerDataCapture | null = null;
  if (options.dataCapture !== undefined && options.dataCapture !== null) {
    const capture = object(options.dataCapture, 'dataCapture');
    onlyKeys(capture, ['destinationS3Uri', 'samplingPercentage'], 'dataCapture.');
    dataCapture = {
      destinationS3Uri: text(
        capture.destinationS3Uri,
        'dataCapture.destinationS3Uri',
        S3_URI,
        'must be an s3://bucket/prefix URI',
      ),
      samplingPercentage: integer(capture.samplingPercentage ?? 100, 'dataCapture.samplingPercentage', 1, 100),
    };
  }

  return {
    region: text(options.region ?? defaults.region, 'region', REGION, 'must be an AWS region such as eu-west-1'),
    executionRoleArn: text(
      executionRoleArn,
      'executionRoleArn',
      ROLE_ARN,
      'must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
    ),
    image: text(image, 'image', IMAGE, 'must be a container image URI without spaces (at most 255 characters)'),
    instanceType,
    initialInstanceCount,
    roles,
    tags,
    dataCapture,
  };
}

/**
 * Validates an endpoint's backend options and fills defaults; errors name the option. SageMaker
 * endpoints take the process's defaults for region, role and image, and refuse to exist without
 * a role and an image (before anything is created in AWS).
 */
export function resolveEndpointOptions(
  backend: 'local',
  input: unknown,
  defaults?: { sagemaker?: SageMakerOptionDefaults },
): LocalEndpointOptions;
export function resolveEndpointOptions(
  backend: 'sagemaker',
  input: unknown,
  defaults?: { sagemaker?: SageMakerOptionDefaults },
): SageMakerEndpointOptions;
export function resolveEndpointOptions(
  backend: EndpointBackend,
  input: unknown,
  defaults?: { sagemaker?: SageMakerOptionDefaults },
): EndpointOptions;
export function resolveEndpointOptions(
  backend: EndpointBackend,
  input: unknown,
  defaults: { sagemaker?: SageMakerOptionDefaults } = {},
): EndpointOptions {
  const options = object(input ?? {}, 'options');
  return backend === 'local' ? resolveLocal(options) : resolveSageMaker(options, defaults.sagemaker ?? {});
}
