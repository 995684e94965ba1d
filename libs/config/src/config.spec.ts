import { inspect } from 'node:util';

import { describe, expect, it } from '@jest/globals';

import {
  ConfigError,
  loadApiConfig,
  loadCliConfig,
  defaultServingProcesses,
  loadServingConfig,
  loadWorkerConfig,
  parseBytes,
  Secret,
} from './index.js';

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const distributed = {
  FLEDGE_MODE: 'distributed',
  DATABASE_URL: 'postgresql://fledge:db-password-123@db.internal:5432/fledge',
  FLEDGE_SERVING_ADMIN_TOKEN: 'admin-token-0123456789abcdef',
  FLEDGE_ARTIFACT_STORE: 's3',
  FLEDGE_S3_BUCKET: 'fledge-artifacts',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-value-xyz',
};

describe('loadApiConfig', () => {
  it('applies the embedded defaults to an empty environment', () => {
    const sut = loadApiConfig({});
    expect(sut.mode).toBe('embedded');
    expect(sut.http).toEqual({ host: '127.0.0.1', port: 4000 });
    expect(sut.database.kind).toBe('pglite');
    expect(sut.artifacts).toEqual({ kind: 'local', root: expect.stringMatching(/\.fledge\/data\/artifacts$/) });
    expect(sut.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'fledge' });
    expect(sut.uploads.maxBytes).toBe(2 * 2 ** 30);
    expect(sut.log.level).toBe('info');
    expect(sut.serving.adminToken.reveal().length).toBeGreaterThanOrEqual(24);
  });

  it('maps a distributed S3 environment to a typed object', () => {
    const sut = loadApiConfig({ ...distributed, FLEDGE_API_PORT: '4100', FLEDGE_MAX_UPLOAD_BYTES: '512MiB' });
    expect(sut.http.port).toBe(4100);
    expect(sut.uploads.maxBytes).toBe(512 * 2 ** 20);
    expect(sut.database).toEqual({ kind: 'postgres', url: expect.any(Secret) });
    expect(sut.database.kind === 'postgres' && sut.database.url.reveal()).toBe(distributed.DATABASE_URL);
    expect(sut.artifacts).toMatchObject({ kind: 's3', bucket: 'fledge-artifacts', region: 'us-east-1' });
    expect(sut.artifacts.kind === 's3' && sut.artifacts.forcePathStyle).toBe(false);
  });

  it('defaults to path-style addressing when an S3-compatible endpoint is given', () => {
    const sut = loadApiConfig({ ...distributed, FLEDGE_S3_ENDPOINT: 'http://127.0.0.1:5055' });
    expect(sut.artifacts).toMatchObject({ endpoint: 'http://127.0.0.1:5055', forcePathStyle: true });
    const virtualHosted = loadApiConfig({
      ...distributed,
      FLEDGE_S3_ENDPOINT: 'http://s3.example.test',
      FLEDGE_S3_FORCE_PATH_STYLE: 'false',
    });
    expect(virtualHosted.artifacts).toMatchObject({ forcePathStyle: false });
  });

  it('returns a deeply frozen object', () => {
    const sut = loadApiConfig({});
    expect(Object.isFrozen(sut)).toBe(true);
    expect(Object.isFrozen(sut.http)).toBe(true);
    expect(() => {
      (sut.http as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('names every bad variable at once, with the reason', () => {
    const sut = configErrorOf(() =>
      loadApiConfig({
        FLEDGE_MODE: 'distributed',
        FLEDGE_API_PORT: 'eighty',
        FLEDGE_ARTIFACT_STORE: 's3',
        FLEDGE_LOG_LEVEL: 'loud',
        FLEDGE_SERVING_ADMIN_TOKEN: 'short',
      }),
    );
    expect(sut.code).toBe('INVALID_ARGUMENT');
    expect(sut.reason).toBe('CONFIG_INVALID');
    expect(Object.fromEntries(sut.issues.map((issue) => [issue.variable, issue.message]))).toEqual({
      FLEDGE_API_PORT: 'must be an integer from 1 to 65535',
      FLEDGE_LOG_LEVEL: 'must be one of fatal, error, warn, info, debug, trace, silent',
      FLEDGE_SERVING_ADMIN_TOKEN: 'must be at least 24 characters long',
      DATABASE_URL: 'is required when FLEDGE_MODE=distributed',
      FLEDGE_S3_BUCKET: 'is required when FLEDGE_ARTIFACT_STORE=s3',
    });
    expect(sut.message).toMatch(/^Invalid configuration for fledge api:\n {2}- /);
    expect(sut.message).toContain('FLEDGE_S3_BUCKET: is required when FLEDGE_ARTIFACT_STORE=s3');
  });

  it('requires both AWS keys or neither', () => {
    const sut = configErrorOf(() => loadApiConfig({ AWS_SECRET_ACCESS_KEY: 'only-the-secret' }));
    expect(sut.issues.map((issue) => issue.variable)).toEqual(['AWS_ACCESS_KEY_ID']);
  });

  it('rejects malformed URLs, byte counts and hosts', () => {
    const sut = configErrorOf(() =>
      loadApiConfig({
        DATABASE_URL: 'mysql://root:hunter2@localhost/db',
        FLEDGE_MAX_UPLOAD_BYTES: 'lots',
        FLEDGE_API_HOST: 'bad host',
        FLEDGE_S3_PART_SIZE: '1MiB',
      }),
    );
    expect(sut.issues.map((issue) => issue.variable).sort()).toEqual([
      'DATABASE_URL',
      'FLEDGE_API_HOST',
      'FLEDGE_MAX_UPLOAD_BYTES',
      'FLEDGE_S3_PART_SIZE',
    ]);
  });

  it('never prints a secret value, neither in errors nor when the config is logged', () => {
    const secrets = ['hunter2', 'short', 'db-password-123', 'admin-token-0123456789abcdef', 'aws-secret-value-xyz'];
    const error = configErrorOf(() =>
      loadApiConfig({ DATABASE_URL: 'mysql://root:hunter2@x/db', FLEDGE_SERVING_ADMIN_TOKEN: 'short' }),
    );
    const config = loadApiConfig(distributed);
    const printed = [
      error.message,
      JSON.stringify(error),
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      `${config.serving.adminToken}`,
    ];
    for (const text of printed) for (const secret of secrets) expect(text).not.toContain(secret);
    expect(JSON.stringify(config)).toContain('[redacted]');
  });

  it('treats empty variables as unset', () => {
    expect(loadApiConfig({ FLEDGE_API_PORT: '', DATABASE_URL: '  ' }).http.port).toBe(4000);
  });
});

describe('other processes', () => {
  it('shares one generated serving admin token per embedded process', () => {
    const serving = loadServingConfig({});
    const worker = loadWorkerConfig({});
    expect(serving.admin.token.reveal()).toBe(worker.serving.adminToken.reveal());
  });

  it('uses the configured admin token in distributed mode', () => {
    const serving = loadServingConfig(distributed);
    expect(serving.admin.token.reveal()).toBe(distributed.FLEDGE_SERVING_ADMIN_TOKEN);
    expect(serving.http.port).toBe(8080);
    expect(serving.admin.port).toBe(8081);
    expect(serving.http.bodyTimeoutMs).toBe(30_000);
  });

  it('binds the serving admin API to loopback unless told otherwise, apart from the data plane', () => {
    const sut = loadServingConfig({ ...distributed, FLEDGE_SERVING_HOST: '0.0.0.0' });
    expect(sut.http.host).toBe('0.0.0.0');
    expect(sut.admin.host).toBe('127.0.0.1');
    const open = loadServingConfig({ ...distributed, FLEDGE_SERVING_ADMIN_HOST: '::' });
    expect(open.admin.host).toBe('::');
    expect(open.http.host).toBe('127.0.0.1');
  });

  it('refuses a bad admin bind address or body timeout, naming the variable', () => {
    const sut = configErrorOf(() =>
      loadServingConfig({ FLEDGE_SERVING_ADMIN_HOST: 'not a host!', FLEDGE_SERVING_BODY_TIMEOUT_MS: '5' }),
    );
    expect(sut.issues.map((issue) => issue.variable)).toEqual([
      'FLEDGE_SERVING_ADMIN_HOST',
      'FLEDGE_SERVING_BODY_TIMEOUT_MS',
    ]);
  });

  it('refuses the serving admin API on the data-plane port', () => {
    const sut = configErrorOf(() =>
      loadServingConfig({ FLEDGE_SERVING_PORT: '9000', FLEDGE_SERVING_ADMIN_PORT: '9000' }),
    );
    expect(sut.issues).toEqual([
      { variable: 'FLEDGE_SERVING_ADMIN_PORT', message: 'must differ from FLEDGE_SERVING_PORT' },
    ]);
  });

  it('runs one serving process per 2 cores by default, or the number asked for', () => {
    expect([1, 2, 3, 4, 8, 256].map((cores) => defaultServingProcesses(cores))).toEqual([1, 1, 1, 2, 4, 64]);
    expect(loadServingConfig(distributed).http.processes).toBe(defaultServingProcesses());
    expect(loadServingConfig({ ...distributed, FLEDGE_SERVING_PROCESSES: '3' }).http.processes).toBe(3);
  });

  it.each(['0', '-1', '1.5', 'two', '65'])('refuses FLEDGE_SERVING_PROCESSES=%s, naming the rule', (value) => {
    const sut = configErrorOf(() => loadServingConfig({ ...distributed, FLEDGE_SERVING_PROCESSES: value }));
    expect(sut.issues).toEqual([{ variable: 'FLEDGE_SERVING_PROCESSES', message: 'must be an integer from 1 to 64' }]);
  });

  it('requires PostgreSQL for a distributed worker', () => {
    const sut = configErrorOf(() => loadWorkerConfig({ ...distributed, DATABASE_URL: undefined }));
    expect(sut.issues.map((issue) => issue.variable)).toEqual(['DATABASE_URL']);
  });

  it('gives the CLI its API URL and key', () => {
    const sut = loadCliConfig({ FLEDGE_API_KEY: 'cli-key' });
    expect(sut.api.url).toBe('http://127.0.0.1:4000/graphql');
    expect(sut.api.apiKey?.reveal()).toBe('cli-key');
    expect(sut.log.level).toBe('warn');
  });
});

describe('SageMaker settings', () => {
  const role = 'arn:aws:iam::123456789012:role/fledge-sagemaker';

  it('leaves the worker without a SageMaker backend until a package bucket is set', () => {
    expect(loadWorkerConfig(distributed).sagemaker).toBeNull();
    const sut = loadWorkerConfig({
      ...distributed,
      AWS_REGION: 'eu-west-1',
      FLEDGE_SAGEMAKER_BUCKET: 'fledge-models',
      FLEDGE_SAGEMAKER_PREFIX: 'packages/',
      FLEDGE_SAGEMAKER_ENDPOINT_URL: 'http://127.0.0.1:5055',
      FLEDGE_SAGEMAKER_ALARM_WEBHOOK_URL: 'https://fledge.example.com/webhooks/sns',
      FLEDGE_SAGEMAKER_ALARM_WEBHOOK_KEY: 'alerts-key-0123456789abcdef',
    });
    expect(sut.sagemaker).toMatchObject({
      region: 'eu-west-1',
      bucket: 'fledge-models',
      prefix: 'packages',
      endpointUrl: 'http://127.0.0.1:5055',
      credentials: { accessKeyId: 'AKIAEXAMPLE' },
      alarmWebhook: { url: 'https://fledge.example.com/webhooks/sns' },
      waitSeconds: 1500,
      pollMs: 5000,
      maxAttempts: 8,
    });
    expect(sut.sagemaker?.alarmWebhook?.key.reveal()).toBe('alerts-key-0123456789abcdef');
  });

  it('gives the API the defaults of new SageMaker endpoints', () => {
    expect(loadApiConfig({}).sagemaker).toEqual({ region: 'us-east-1' });
    expect(
      loadApiConfig({
        FLEDGE_SAGEMAKER_REGION: 'eu-central-1',
        FLEDGE_SAGEMAKER_ROLE_ARN: role,
        FLEDGE_SAGEMAKER_IMAGE: 'img:1',
      }).sagemaker,
    ).toEqual({ region: 'eu-central-1', executionRoleArn: role, image: 'img:1' });
  });

  it('names each bad SageMaker variable', () => {
    const sut = configErrorOf(() =>
      loadWorkerConfig({
        FLEDGE_SAGEMAKER_BUCKET: 'Bad_Bucket',
        FLEDGE_SAGEMAKER_ROLE_ARN: 'role/x',
        FLEDGE_SAGEMAKER_ALARM_WEBHOOK_URL: 'https://fledge.example.com/webhooks/sns',
        FLEDGE_AWS_MAX_ATTEMPTS: '0',
      }),
    );
    expect(sut.issues.map((issue) => issue.variable).sort()).toEqual([
      'FLEDGE_AWS_MAX_ATTEMPTS',
      'FLEDGE_SAGEMAKER_ALARM_WEBHOOK_KEY',
      'FLEDGE_SAGEMAKER_BUCKET',
      'FLEDGE_SAGEMAKER_ROLE_ARN',
    ]);
  });
});

describe(parseBytes.name, () => {
  it.each([
    ['1024', 1024],
    ['5MiB', 5 * 2 ** 20],
    ['2 GiB', 2 * 2 ** 30],
    ['10MB', 10_000_000],
    ['1.5GiB', undefined],
    ['-1', undefined],
    ['12 parsecs', undefined],
  ])('%s → %s', (raw, expected) => expect(parseBytes(raw)).toBe(expected));
});
