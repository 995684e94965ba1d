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

export interface SageMakerEndpointOptions {
  instanceType: string;
  initialInstanceCount: number;
}

export type EndpointOptions = LocalEndpointOptions | SageMakerEndpointOptions;

export const defaultBatching: BatchingOptions = { maxBatchSize: 32, maxQueueDelayUs: 500 };

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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function onlyKeys(obj: Record<string, unknown>, allowed: string[], prefix: string): void {
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) throw refuse(`${prefix}${key}`, 'is not an option');
}

/** Validates an endpoint's backend options and fills defaults; errors name the option. */
export function resolveEndpointOptions(backend: EndpointBackend, input: unknown): EndpointOptions {
  const options = input ?? {};
  if (!isObject(options)) throw refuse('options', 'must be an object');
  if (backend === 'local') {
    onlyKeys(options, ['batching'], '');
    const batching = options.batching ?? {};
    if (!isObject(batching)) throw refuse('batching', 'must be an object');
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
  onlyKeys(options, ['instanceType', 'initialInstanceCount'], '');
  const instanceType = options.instanceType ?? 'ml.m5.large';
  if (typeof instanceType !== 'string' || !/^ml\.[a-z0-9]+\.[a-z0-9]+$/.test(instanceType)) {
    throw refuse('instanceType', 'must be a SageMaker instance type such as ml.m5.large');
  }
  return {
    instanceType,
    initialInstanceCount: integer(options.initialInstanceCount ?? 1, 'initialInstanceCount', 1, 100),
  };
}
