import { describe, expect, it } from '@jest/globals';

import { resolveEndpointOptions } from './endpoint-options.js';

describe(resolveEndpointOptions.name, () => {
  it('fills defaults per backend', () => {
    expect(resolveEndpointOptions('local', undefined)).toEqual({
      batching: { maxBatchSize: 32, maxQueueDelayUs: 500 },
    });
    expect(resolveEndpointOptions('local', { batching: { maxBatchSize: 8 } })).toEqual({
      batching: { maxBatchSize: 8, maxQueueDelayUs: 500 },
    });
    expect(resolveEndpointOptions('sagemaker', {})).toEqual({ instanceType: 'ml.m5.large', initialInstanceCount: 1 });
  });

  it.each([
    ['local', { batching: { maxBatchSize: 0 } }, 'batching.maxBatchSize must be an integer from 1 to 1024'],
    ['local', { batching: { maxQueueDelay: 5 } }, 'batching.maxQueueDelay is not an option'],
    ['local', { instanceType: 'ml.m5.large' }, 'instanceType is not an option'],
    ['sagemaker', { instanceType: 'big' }, 'instanceType must be a SageMaker instance type'],
    ['local', [1], 'options must be an object'],
  ] as const)('refuses %s %j', (backend, options, message) => {
    expect(() => resolveEndpointOptions(backend, options)).toThrow(message);
  });
});
