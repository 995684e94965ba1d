import { describe, expect, it } from '@jest/globals';

import { loadApiConfig } from '@fledge/config';

import { createLogger, REDACTED, scrubSecretsInText } from './index.js';

function capture() {
  const lines: string[] = [];
  return {
    destination: { write: (line: string) => void lines.push(line) },
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const secrets = {
  bearer: 'fk_live_bearer_0123456789abcdef',
  apiKey: 'fk_api_key_0123456789abcdef',
  password: 'pg-password-0123456789',
  awsSecret: 'aws/secret+access/key0123456789',
  adminToken: 'serving-admin-token-0123456789',
  cookie: 'session=cookie-value-0123456789',
};

describe(createLogger.name, () => {
  it('writes one JSON object per line with level label, time and name', () => {
    const out = capture();
    const sut = createLogger({ level: 'info', name: 'api', destination: out.destination });
    sut.debug('hidden');
    sut.info({ modelId: 'm1' }, 'registered');
    expect(out.records()).toEqual([
      expect.objectContaining({
        level: 'info',
        name: 'api',
        modelId: 'm1',
        msg: 'registered',
        time: expect.any(String),
      }),
    ]);
  });

  it('redacts secrets by property name at any usual depth', () => {
    const out = capture();
    const sut = createLogger({ level: 'info', name: 'api', destination: out.destination });
    sut.info(
      {
        req: {
          headers: {
            authorization: `Bearer ${secrets.bearer}`,
            'x-api-key': secrets.apiKey,
            cookie: secrets.cookie,
            'user-agent': 'jest',
          },
        },
        credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: secrets.awsSecret },
        token: secrets.adminToken,
        user: { password: secrets.password, profile: { apiKey: secrets.apiKey } },
        env: { AWS_SECRET_ACCESS_KEY: secrets.awsSecret, DATABASE_URL: `postgres://u:${secrets.password}@db/x` },
      },
      'with secrets',
    );
    const [line] = out.lines;
    for (const secret of Object.values(secrets)) expect(line).not.toContain(secret);
    const [record] = out.records() as any[];
    expect(record.req.headers).toEqual({
      authorization: REDACTED,
      'x-api-key': REDACTED,
      cookie: REDACTED,
      'user-agent': 'jest',
    });
    expect(record.credentials).toEqual({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: REDACTED });
    expect(record.user.profile.apiKey).toBe(REDACTED);
  });

  it('scrubs credentials out of messages, error messages and stacks', () => {
    const out = capture();
    const sut = createLogger({ level: 'info', name: 'worker', destination: out.destination });
    const url = `postgresql://fledge:${secrets.password}@db.internal:5432/fledge`;
    sut.error({ err: new Error(`cannot connect to ${url}`) }, `database ${url} unreachable`);
    sut.warn(`called https://api.example/cb?token=${secrets.adminToken}&x=1 with Bearer ${secrets.bearer}`);
    for (const line of out.lines) for (const secret of Object.values(secrets)) expect(line).not.toContain(secret);
    const [error, warning] = out.records() as any[];
    expect(error.msg).toBe(`database postgresql://fledge:${REDACTED}@db.internal:5432/fledge unreachable`);
    expect(error.err.message).toContain(`fledge:${REDACTED}@db.internal`);
    expect(warning.msg).toContain(`token=${REDACTED}&x=1`);
  });

  it('never prints the secrets of a loaded config', () => {
    const out = capture();
    const config = loadApiConfig({
      FLEDGE_MODE: 'distributed',
      DATABASE_URL: `postgres://fledge:${secrets.password}@db/fledge`,
      FLEDGE_SERVING_ADMIN_TOKEN: secrets.adminToken,
      FLEDGE_ADMIN_API_KEY: secrets.apiKey,
      FLEDGE_ARTIFACT_STORE: 's3',
      FLEDGE_S3_BUCKET: 'fledge',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: secrets.awsSecret,
    });
    const sut = createLogger({ level: config.log.level, name: config.process, destination: out.destination });
    sut.info({ config }, 'booted');
    for (const secret of Object.values(secrets)) expect(out.lines[0]).not.toContain(secret);
    expect(out.lines[0]).toContain('AKIAEXAMPLE');
  });
});

describe(scrubSecretsInText.name, () => {
  it.each([
    ['redis://:pass-word-1@cache:6379', `redis://:${REDACTED}@cache:6379`],
    ['mongodb+srv://admin:hunter22@cluster/db', `mongodb+srv://admin:${REDACTED}@cluster/db`],
    ['Authorization: Basic dXNlcjpwYXNzd29yZA==', `Authorization: Basic ${REDACTED}`],
    ['GET /x?api_key=abc123&page=2', `GET /x?api_key=${REDACTED}&page=2`],
    ['plain text with user@example.com and http://host/path', 'plain text with user@example.com and http://host/path'],
  ])('%s', (text, expected) => expect(scrubSecretsInText(text)).toBe(expected));
});
