import path from 'node:path';

import { z } from 'zod';

import { type artifactFields, buildAwsCredentials, LOG_LEVELS, type S3Credentials } from './common.config.js';
import { defineConfigLoader, type Report } from './config-loader.util.js';
import { envVar } from './env-var.util.js';
import { type Secret } from './secret.js';

type Vars<S extends Record<string, z.ZodType>> = { [K in keyof S]: z.output<S[K]> };

const bucketField = () =>
  envVar.string({
    pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    hint: 'must be a valid S3 bucket name (3-63 characters: a-z, 0-9, dot, hyphen)',
  });

// ---- defaults of new SageMaker endpoints (api and worker) -------------------------------------------

export const sageMakerDefaultFields = {
  /** Region of new SageMaker endpoints; default AWS_REGION. */
  FLEDGE_SAGEMAKER_REGION: envVar.string({ pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, hint: 'must be an AWS region name' }),
  /** Execution role of new SageMaker endpoints that name none. */
  FLEDGE_SAGEMAKER_ROLE_ARN: envVar.string({
    pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/,
    hint: 'must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
  }),
  /** Inference image of new SageMaker endpoints that name none (Fledge's serving image in your ECR). */
  FLEDGE_SAGEMAKER_IMAGE: envVar.string({ pattern: /^\S{1,255}$/, hint: 'must be an image URI without spaces' }),
};

export function buildSageMakerDefaults(
  vars: Vars<typeof sageMakerDefaultFields & Pick<typeof artifactFields, 'AWS_REGION'>>,
) {
  return {
    region: vars.FLEDGE_SAGEMAKER_REGION ?? vars.AWS_REGION,
    ...(vars.FLEDGE_SAGEMAKER_ROLE_ARN && { executionRoleArn: vars.FLEDGE_SAGEMAKER_ROLE_ARN }),
    ...(vars.FLEDGE_SAGEMAKER_IMAGE && { image: vars.FLEDGE_SAGEMAKER_IMAGE }),
  };
}

// ---- the worker's SageMaker hosting backend --------------------------------------------------------

export const sageMakerBackendFields = {
  ...sageMakerDefaultFields,
  /** Bucket for model packages (`model.tar.gz`); setting it turns the SageMaker backend on. */
  FLEDGE_SAGEMAKER_BUCKET: bucketField(),
  FLEDGE_SAGEMAKER_PREFIX: envVar.string({
    default: 'fledge/sagemaker-models',
    pattern: /^[A-Za-z0-9!_.*'()/-]{1,200}$/,
    hint: "must be an S3 key prefix (letters, digits, / and !_.*'()-)",
  }),
  /** One URL for SageMaker, CloudWatch, SNS and the package bucket (moto in tests); absent → AWS. */
  FLEDGE_SAGEMAKER_ENDPOINT_URL: envVar.url({ protocols: ['http', 'https'] }),
  /** The API's public `/webhooks/sns` URL that CloudWatch alarms reach through SNS; absent → no alarms. */
  FLEDGE_SAGEMAKER_ALARM_WEBHOOK_URL: envVar.url({ protocols: ['http', 'https'] }),
  /** API key (role `alerts`) SNS sends as Basic auth with every alarm. */
  FLEDGE_SAGEMAKER_ALARM_WEBHOOK_KEY: envVar.secret({ minLength: 24 }),
  /** Longest wait for an endpoint to reach InService per change; the activity retries past it. */
  FLEDGE_SAGEMAKER_WAIT_SECONDS: envVar.int({ default: 1500, min: 1, max: 1700 }),
  /** First delay between DescribeEndpoint polls (the SDK waiter backs off from it, up to 30 s). */
  FLEDGE_SAGEMAKER_POLL_MS: envVar.int({ default: 5000, min: 50, max: 60_000 }),
  /** Attempts per AWS call under the SDK's standard retry strategy (throttling, 5xx). */
  FLEDGE_AWS_MAX_ATTEMPTS: envVar.int({ default: 8, min: 1, max: 20 }),
};

type BackendVars = Vars<typeof sageMakerBackendFields & typeof artifactFields>;

export function sageMakerBackendRules(vars: BackendVars, report: Report): void {
  if (
    (vars.FLEDGE_SAGEMAKER_ALARM_WEBHOOK_URL === undefined) !==
    (vars.FLEDGE_SAGEMAKER_ALARM_WEBHOOK_KEY === undefined)
  )
    report(
      vars.FLEDGE_SAGEMAKER_ALARM_WEBHOOK_URL === undefined
        ? 'FLEDGE_SAGEMAKER_ALARM_WEBHOOK_URL'
        : 'FLEDGE_SAGEMAKER_ALARM_WEBHOOK_KEY',
      'must be set together with its pair (FLEDGE_SAGEMAKER_ALARM_WEBHOOK_URL and FLEDGE_SAGEMAKER_ALARM_WEBHOOK_KEY), or neither',
    );
}

export interface SageMakerBackendConfig {
  region: string;
  bucket: string;
  prefix: string;
  endpointUrl?: string;
  credentials?: S3Credentials;
  alarmWebhook?: { url: string; key: Secret };
  waitSeconds: number;
  pollMs: number;
  maxAttempts: number;
}

/** Null when FLEDGE_SAGEMAKER_BUCKET is unset: the worker then has no SageMaker backend. */
export function buildSageMakerBackend(vars: BackendVars): SageMakerBackendConfig | null {
  if (vars.FLEDGE_SAGEMAKER_BUCKET === undefined) return null;
  const credentials = buildAwsCredentials(vars);
  return {
    region: vars.FLEDGE_SAGEMAKER_REGION ?? vars.AWS_REGION,
    bucket: vars.FLEDGE_SAGEMAKER_BUCKET,
    prefix: vars.FLEDGE_SAGEMAKER_PREFIX.replace(/\/+$/, ''),
    ...(vars.FLEDGE_SAGEMAKER_ENDPOINT_URL && { endpointUrl: vars.FLEDGE_SAGEMAKER_ENDPOINT_URL }),
    ...(credentials && { credentials }),
    ...(vars.FLEDGE_SAGEMAKER_ALARM_WEBHOOK_URL &&
      vars.FLEDGE_SAGEMAKER_ALARM_WEBHOOK_KEY && {
        alarmWebhook: { url: vars.FLEDGE_SAGEMAKER_ALARM_WEBHOOK_URL, key: vars.FLEDGE_SAGEMAKER_ALARM_WEBHOOK_KEY },
      }),
    waitSeconds: vars.FLEDGE_SAGEMAKER_WAIT_SECONDS,
    pollMs: vars.FLEDGE_SAGEMAKER_POLL_MS,
    maxAttempts: vars.FLEDGE_AWS_MAX_ATTEMPTS,
  };
}

// ---- the serving runtime as a SageMaker inference container (`serve`) --------------------------------

/** What SageMaker and Fledge's CreateModel put in the container's environment. */
export const sageMakerContainerEnvSchema = z.object({
  FLEDGE_LOG_LEVEL: envVar.oneOf(LOG_LEVELS, { default: 'info' }),
  /** Where SageMaker extracts model.tar.gz. */
  SM_MODEL_DIR: envVar.string({ default: '/opt/ml/model' }),
  /** SageMaker routes /ping and /invocations to this port (8080 unless it says otherwise). */
  SAGEMAKER_BIND_TO_PORT: envVar.port(8080),
  FLEDGE_DATA_DIR: envVar.string({ default: '/tmp/fledge' }),
  // Set by Fledge's CreateModel; defaults let any SageMaker user run the image on a package.
  FLEDGE_ENDPOINT_NAME: envVar.string({
    default: 'model',
    pattern: /^[a-z0-9][a-z0-9._-]{0,62}$/i,
    hint: 'must be an endpoint name',
  }),
  FLEDGE_VARIANT_NAME: envVar.string({
    default: 'model',
    pattern: /^[a-z0-9][a-z0-9._-]{0,62}$/i,
    hint: 'must be a variant name',
  }),
  FLEDGE_MODEL_NAME: envVar.string({ default: 'model' }),
  FLEDGE_MODEL_VERSION: envVar.int({ default: 1, min: 1, max: 2 ** 31 - 1 }),
  FLEDGE_MODEL_VERSION_ID: envVar.string({ default: 'model' }),
});

export const loadSageMakerContainerConfig = defineConfigLoader(
  'sagemaker-container',
  sageMakerContainerEnvSchema,
  (vars) => ({
    process: 'sagemaker-container' as const,
    log: { level: vars.FLEDGE_LOG_LEVEL },
    modelDir: path.resolve(vars.SM_MODEL_DIR),
    port: vars.SAGEMAKER_BIND_TO_PORT,
    dataDir: path.resolve(vars.FLEDGE_DATA_DIR),
    endpoint: vars.FLEDGE_ENDPOINT_NAME,
    variant: {
      variantName: vars.FLEDGE_VARIANT_NAME,
      modelName: vars.FLEDGE_MODEL_NAME,
      version: vars.FLEDGE_MODEL_VERSION,
      modelVersionId: vars.FLEDGE_MODEL_VERSION_ID,
    },
  }),
);

export type SageMakerContainerConfig = ReturnType<typeof loadSageMakerContainerConfig>;
