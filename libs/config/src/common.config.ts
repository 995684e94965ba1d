import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { type z } from 'zod';

import { type Report } from './config-loader.util.js';
import { envVar } from './env-var.util.js';
import { type Secret, Secret as SecretValue } from './secret.js';

type Vars<S extends Record<string, z.ZodType>> = { [K in keyof S]: z.output<S[K]> };

export const FLEDGE_MODES = ['embedded', 'distributed'] as const;
export type FledgeMode = (typeof FLEDGE_MODES)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const hostPattern = /^[A-Za-z0-9.:[\]-]+$/;
const hostHint = 'must be a host name or IP address';

// ---- shared by every server process -------------------------------------------------------------

export const commonFields = {
  /** embedded: one process, PGlite, local artifacts; distributed: separate processes on PostgreSQL. */
  FLEDGE_MODE: envVar.oneOf(FLEDGE_MODES, { default: 'embedded' }),
  FLEDGE_LOG_LEVEL: envVar.oneOf(LOG_LEVELS, { default: 'info' }),
  FLEDGE_DATA_DIR: envVar.string({ default: '.fledge/data' }),
};

export function buildCommon(vars: Vars<typeof commonFields>) {
  return {
    mode: vars.FLEDGE_MODE,
    log: { level: vars.FLEDGE_LOG_LEVEL },
    dataDir: path.resolve(vars.FLEDGE_DATA_DIR),
  };
}

// ---- database ------------------------------------------------------------------------------------

export const databaseFields = {
  /** Absent → embedded PGlite under FLEDGE_DATA_DIR. */
  DATABASE_URL: envVar.url({ protocols: ['postgres', 'postgresql'] }),
};

export type DatabaseConfig = { kind: 'postgres'; url: Secret } | { kind: 'pglite'; dataDir: string };

export function databaseRules(vars: Vars<typeof databaseFields & typeof commonFields>, report: Report): void {
  // PGlite lives inside one process; separate processes need a shared PostgreSQL.
  if (vars.FLEDGE_MODE === 'distributed' && vars.DATABASE_URL === undefined)
    report('DATABASE_URL', 'is required when FLEDGE_MODE=distributed');
}

export function buildDatabase(vars: Vars<typeof databaseFields & typeof commonFields>): DatabaseConfig {
  return vars.DATABASE_URL === undefined
    ? { kind: 'pglite', dataDir: path.join(path.resolve(vars.FLEDGE_DATA_DIR), 'pglite') }
    : { kind: 'postgres', url: new SecretValue(vars.DATABASE_URL) };
}

// ---- artifact store ------------------------------------------------------------------------------

const MIB = 2 ** 20;

export const artifactFields = {
  FLEDGE_ARTIFACT_STORE: envVar.oneOf(['local', 's3'] as const, { default: 'local' }),
  /** Root of the local artifact store; default `<FLEDGE_DATA_DIR>/artifacts`. */
  FLEDGE_ARTIFACT_DIR: envVar.string(),
  FLEDGE_S3_BUCKET: envVar.string({
    pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    hint: 'must be a valid S3 bucket name (3-63 characters: a-z, 0-9, dot, hyphen)',
  }),
  /** For S3-compatible servers (moto, MinIO...); absent → AWS. */
  FLEDGE_S3_ENDPOINT: envVar.url({ protocols: ['http', 'https'] }),
  /** Default: true when FLEDGE_S3_ENDPOINT is set, false for AWS. */
  FLEDGE_S3_FORCE_PATH_STYLE: envVar.bool(),
  /** Multipart part size; S3 requires at least 5 MiB. */
  FLEDGE_S3_PART_SIZE: envVar.bytes({ default: 8 * MIB, min: 5 * MIB, max: 5 * 2 ** 30 }),
  AWS_REGION: envVar.string({ default: 'us-east-1', pattern: /^[a-z0-9-]+$/, hint: 'must be an AWS region name' }),
  /** Both or neither; neither → the AWS SDK's default credential chain. */
  AWS_ACCESS_KEY_ID: envVar.string(),
  AWS_SECRET_ACCESS_KEY: envVar.secret(),
  AWS_SESSION_TOKEN: envVar.secret(),
};

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: Secret;
  sessionToken?: Secret;
}

export type ArtifactStoreConfig =
  | { kind: 'local'; root: string }
  | {
      kind: 's3';
      bucket: string;
      region: string;
      endpoint?: string;
      forcePathStyle: boolean;
      credentials?: S3Credentials;
      partSizeBytes: number;
    };

export function artifactRules(vars: Vars<typeof artifactFields>, report: Report): void {
  if (vars.FLEDGE_ARTIFACT_STORE === 's3' && vars.FLEDGE_S3_BUCKET === undefined)
    report('FLEDGE_S3_BUCKET', 'is required when FLEDGE_ARTIFACT_STORE=s3');
  if ((vars.AWS_ACCESS_KEY_ID === undefined) !== (vars.AWS_SECRET_ACCESS_KEY === undefined))
    report(
      vars.AWS_ACCESS_KEY_ID === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY',
      'must be set together with its pair (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or neither',
    );
}

/** Static AWS credentials when both keys are set; undefined → the AWS SDK's default credential chain. */
export function buildAwsCredentials(vars: Vars<typeof artifactFields>): S3Credentials | undefined {
  return vars.AWS_ACCESS_KEY_ID !== undefined && vars.AWS_SECRET_ACCESS_KEY !== undefined
    ? {
        accessKeyId: vars.AWS_ACCESS_KEY_ID,
        secretAccessKey: vars.AWS_SECRET_ACCESS_KEY,
        ...(vars.AWS_SESSION_TOKEN && { sessionToken: vars.AWS_SESSION_TOKEN }),
      }
    : undefined;
}

export function buildArtifacts(vars: Vars<typeof artifactFields & typeof commonFields>): ArtifactStoreConfig {
  if (vars.FLEDGE_ARTIFACT_STORE === 'local') {
    return {
      kind: 'local',
      root: path.resolve(vars.FLEDGE_ARTIFACT_DIR ?? path.join(vars.FLEDGE_DATA_DIR, 'artifacts')),
    };
  }
  const credentials = buildAwsCredentials(vars);
  return {
    kind: 's3',
    bucket: vars.FLEDGE_S3_BUCKET!,
    region: vars.AWS_REGION,
    ...(vars.FLEDGE_S3_ENDPOINT && { endpoint: vars.FLEDGE_S3_ENDPOINT }),
    forcePathStyle: vars.FLEDGE_S3_FORCE_PATH_STYLE ?? vars.FLEDGE_S3_ENDPOINT !== undefined,
    ...(credentials && { credentials }),
    partSizeBytes: vars.FLEDGE_S3_PART_SIZE,
  };
}

// ---- Temporal ------------------------------------------------------------------------------------

export const temporalFields = {
  FLEDGE_TEMPORAL_ADDRESS: envVar.string({
    default: '127.0.0.1:7233',
    pattern: /^[A-Za-z0-9.[\]:-]+:\d{1,5}$/,
    hint: 'must be host:port',
  }),
  FLEDGE_TEMPORAL_NAMESPACE: envVar.string({ default: 'default' }),
  FLEDGE_TEMPORAL_TASK_QUEUE: envVar.string({ default: 'fledge' }),
};

export function buildTemporal(vars: Vars<typeof temporalFields>) {
  return {
    address: vars.FLEDGE_TEMPORAL_ADDRESS,
    namespace: vars.FLEDGE_TEMPORAL_NAMESPACE,
    taskQueue: vars.FLEDGE_TEMPORAL_TASK_QUEUE,
  };
}

// ---- serving admin token (shared by the serving runtime and its callers) -------------------------

const ADMIN_TOKEN_MIN_LENGTH = 24;

export const servingTokenFields = {
  /** Required in distributed mode; in embedded mode a random per-process token is generated. */
  FLEDGE_SERVING_ADMIN_TOKEN: envVar.secret({ minLength: ADMIN_TOKEN_MIN_LENGTH }),
};

export function servingTokenRules(vars: Vars<typeof servingTokenFields & typeof commonFields>, report: Report): void {
  if (vars.FLEDGE_MODE === 'distributed' && vars.FLEDGE_SERVING_ADMIN_TOKEN === undefined)
    report(
      'FLEDGE_SERVING_ADMIN_TOKEN',
      `is required when FLEDGE_MODE=distributed (at least ${ADMIN_TOKEN_MIN_LENGTH} characters)`,
    );
}

// Embedded mode runs api, worker and serving in one process: every loader there must agree.
let embeddedAdminToken: Secret | undefined;

export function resolveServingAdminToken(vars: Vars<typeof servingTokenFields>): Secret {
  if (vars.FLEDGE_SERVING_ADMIN_TOKEN) return vars.FLEDGE_SERVING_ADMIN_TOKEN;
  embeddedAdminToken ??= new SecretValue(randomBytes(32).toString('base64url'));
  return embeddedAdminToken;
}

// ---- how the control plane reaches the serving runtime --------------------------------------------

export const servingClientFields = {
  ...servingTokenFields,
  /** Data plane (OIP v2 REST). */
  FLEDGE_SERVING_URL: envVar.url({ protocols: ['http', 'https'], default: 'http://127.0.0.1:8080' }),
  /** Admin (control) API of the serving runtime. */
  FLEDGE_SERVING_ADMIN_URL: envVar.url({ protocols: ['http', 'https'], default: 'http://127.0.0.1:8081' }),
};

export function buildServingClient(vars: Vars<typeof servingClientFields>) {
  return {
    url: vars.FLEDGE_SERVING_URL,
    adminUrl: vars.FLEDGE_SERVING_ADMIN_URL,
    adminToken: resolveServingAdminToken(vars),
  };
}

// ---- listening sockets ----------------------------------------------------------------------------

export const hostField = (defaultHost: string) =>
  envVar.string({ default: defaultHost, pattern: hostPattern, hint: hostHint });
