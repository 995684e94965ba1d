import { describe, expect, it } from '@jest/globals';

import { resolveEndpointOptions } from './endpoint-options.js';

const role = 'arn:aws:iam::123456789012:role/fledge-sagemaker';
const image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fledge-serving:1.0';

describe(resolveEndpointOptions.name, () => {
  it('fills local defaults', () => {
    expect(resolveEndpointOptions('local', undefined)).toEqual({
      batching: { maxBatchSize: 32, maxQueueDelayUs: 500 },
    });
    expect(resolveEndpointOptions('local', { batching: { maxBatchSize: 8 } })).toEqual({
      batching: { maxBatchSize: 8, maxQueueDelayUs: 500 },
    });
  });

  it('fills SageMaker defaults from the options and then from the process settings', () => {
    const capacity = { instanceType: 'ml.m5.large', instanceCount: 1 };
    expect(
      resolveEndpointOptions('sagemaker', {}, { sagemaker: { region: 'eu-west-1', executionRoleArn: role, image } }),
    ).toEqual({
      region: 'eu-west-1',
      executionRoleArn: role,
      image,
      instanceType: 'ml.m5.large',
      initialInstanceCount: 1,
      roles: { primary: capacity, canary: capacity, shadow: capacity },
      tags: {},
      dataCapture: null,
    });
    const resolved = resolveEndpointOptions(
      'sagemaker',
      {
        region: 'us-west-2',
        executionRoleArn: 'arn:aws:iam::210987654321:role/other',
        image: 'my/image:2',
        instanceType: 'ml.c5.xlarge',
        initialInstanceCount: 2,
        roles: { shadow: { instanceType: 'ml.c5.large', instanceCount: 1 }, canary: { instanceCount: 1 } },
        tags: { team: 'search', 'cost-center': '42' },
        dataCapture: { destinationS3Uri: 's3://captures/web', samplingPercentage: 20 },
      },
      { sagemaker: { region: 'eu-west-1', executionRoleArn: role, image } },
    );
    expect(resolved).toMatchObject({
      region: 'us-west-2',
      executionRoleArn: 'arn:aws:iam::210987654321:role/other',
      image: 'my/image:2',
      roles: {
        primary: { instanceType: 'ml.c5.xlarge', instanceCount: 2 },
        canary: { instanceType: 'ml.c5.xlarge', instanceCount: 1 },
        shadow: { instanceType: 'ml.c5.large', instanceCount: 1 },
      },
      tags: { team: 'search', 'cost-center': '42' },
      dataCapture: { destinationS3Uri: 's3://captures/web', samplingPercentage: 20 },
    });
  });

  it.each([
    ['local', { batching: { maxBatchSize: 0 } }, 'batching.maxBatchSize must be an integer from 1 to 1024'],
    ['local', { batching: { maxQueueDelay: 5 } }, 'batching.maxQueueDelay is not an option'],
    ['local', { instanceType: 'ml.m5.large' }, 'instanceType is not an option'],
    ['local', [1], 'options must be an object'],
    ['sagemaker', { image }, 'executionRoleArn is required for a SageMaker endpoint'],
    ['sagemaker', { executionRoleArn: role }, 'image is required for a SageMaker endpoint'],
    ['sagemaker', { executionRoleArn: 'role/x', image }, 'executionRoleArn must be an IAM role ARN'],
    ['sagemaker', { executionRoleArn: role, image: 'has space' }, 'image must be a container image URI'],
    ['sagemaker', { executionRoleArn: role, image, instanceType: 'big' }, 'instanceType must be a SageMaker instance'],
    ['sagemaker', { executionRoleArn: role, image, region: 'moon' }, 'region must be an AWS region'],
    ['sagemaker', { executionRoleArn: role, image, roles: { blue: {} } }, 'roles.blue is not an option'],
    [
      'sagemaker',
      { executionRoleArn: role, image, roles: { canary: { instanceCount: 0 } } },
      'roles.canary.instanceCount must be an integer from 1 to 100',
    ],
    ['sagemaker', { executionRoleArn: role, image, tags: { 'aws:x': '1' } }, 'tags.aws:x is not a valid tag key'],
    [
      'sagemaker',
      { executionRoleArn: role, image, dataCapture: { destinationS3Uri: 'https://x' } },
      'dataCapture.destinationS3Uri must be an s3://bucket/prefix URI',
    ],
  ] as const)('refuses %s %j', (backend, options, message) => {
    const run = () => resolveEndpointOptions(backend, options, { sagemaker: { region: 'us-east-1' } });
    expect(run).toThrow(message);
    expect(run).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', reason: 'ENDPOINT_OPTIONS_INVALID' }));
  });
});
