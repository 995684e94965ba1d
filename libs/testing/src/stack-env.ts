import { randomBytes } from 'node:crypto';

/** The servers `scripts/stack up` started, as `.stack/stack.env` describes them. */
export interface StackEnv {
  databaseUrl: string;
  temporalAddress: string;
  s3Endpoint: string;
  awsAccessKeyId: string;
  awsSecretAccessKey: string;
  awsRegion: string;
  temporalCli: string;
  temporalTestServer: string;
}

export function stackEnv(): StackEnv {
  const get = (name: string): string => {
    const value = process.env[name];
    if (!value) {
      throw new Error(`${name} is not set: start the test stack (bash scripts/stack up) and source .stack/stack.env`);
    }
    return value;
  };
  return {
    databaseUrl: get('FLEDGE_STACK_DATABASE_URL'),
    temporalAddress: get('FLEDGE_STACK_TEMPORAL_ADDRESS'),
    s3Endpoint: get('FLEDGE_STACK_S3_ENDPOINT'),
    awsAccessKeyId: get('AWS_ACCESS_KEY_ID'),
    awsSecretAccessKey: get('AWS_SECRET_ACCESS_KEY'),
    awsRegion: process.env.AWS_REGION ?? 'us-east-1',
    temporalCli: process.env.FLEDGE_TEMPORAL_CLI ?? '',
    temporalTestServer: process.env.FLEDGE_TEMPORAL_TEST_SERVER ?? '',
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * Environment for a Fledge server process under test: the run's test database (created by the
 * integration globalSetup) and a fresh bucket on the stack's S3-compatible server.
 */
export function serverTestEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const stack = stackEnv();
  const databaseUrl = overrides.DATABASE_URL ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: the integration globalSetup creates the test database');
  return {
    DATABASE_URL: databaseUrl,
    FLEDGE_ARTIFACT_STORE: 's3',
    FLEDGE_S3_BUCKET: uniqueName('fledge-test'),
    FLEDGE_S3_ENDPOINT: stack.s3Endpoint,
    AWS_ACCESS_KEY_ID: stack.awsAccessKeyId,
    AWS_SECRET_ACCESS_KEY: stack.awsSecretAccessKey,
    AWS_REGION: stack.awsRegion,
    FLEDGE_TEMPORAL_ADDRESS: stack.temporalAddress,
    ...overrides,
  };
}
