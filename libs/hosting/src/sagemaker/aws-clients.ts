import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SNSClient } from '@aws-sdk/client-sns';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** How the SageMaker backend reaches AWS (or moto, through `endpointUrl`). */
export interface AwsConnection {
  /** Region of the model-package bucket and default region of endpoints. */
  region: string;
  /** One URL for every service (tests point it at moto); absent → AWS's own endpoints. */
  endpointUrl?: string;
  /** Absent → the SDK's default credential chain (environment, profile, SSO, instance role...). */
  credentials?: AwsCredentials;
  /** Attempts per call under the SDK's standard retry strategy (exponential backoff, full jitter). */
  maxAttempts: number;
}

export interface AwsClients {
  sagemaker: SageMakerClient;
  cloudwatch: CloudWatchClient;
  sns: SNSClient;
  s3: S3Client;
}

/**
 * The four AWS clients of one region. Throttling, 5xx and network errors are retried by the SDK's
 * `standard` retry strategy (token bucket, exponential backoff with jitter), not by our code; a
 * validation error is never retried.
 */
export function createAwsClients(connection: AwsConnection, region = connection.region): AwsClients {
  const common = {
    region,
    maxAttempts: connection.maxAttempts,
    retryMode: 'standard',
    ...(connection.endpointUrl && { endpoint: connection.endpointUrl }),
    ...(connection.credentials && { credentials: connection.credentials }),
  };
  return {
    sagemaker: new SageMakerClient(common),
    cloudwatch: new CloudWatchClient(common),
    sns: new SNSClient(common),
    s3: new S3Client({
      ...common,
      forcePathStyle: connection.endpointUrl !== undefined,
      // The package's own sha256 is the integrity check; S3-compatible servers differ on checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  };
}

export function destroyAwsClients(clients: AwsClients): void {
  for (const client of Object.values(clients)) client.destroy();
}
