import path from 'node:path';

import { z } from 'zod';

import {
  artifactFields,
  artifactRules,
  buildArtifacts,
  buildCommon,
  buildDatabase,
  buildServingClient,
  buildTemporal,
  commonFields,
  databaseFields,
  databaseRules,
  hostField,
  servingClientFields,
  servingTokenRules,
  temporalFields,
} from './common.config.js';
import { defineConfigLoader, withRules } from './config-loader.util.js';
import { envVar } from './env-var.util.js';
import {
  buildSageMakerBackend,
  buildSageMakerDefaults,
  sageMakerBackendFields,
  sageMakerBackendRules,
} from './sagemaker.config.js';

export const apiEnvSchema = withRules(
  z.object({
    ...commonFields,
    ...databaseFields,
    ...artifactFields,
    ...temporalFields,
    ...servingClientFields,
    // The same SageMaker settings as the worker's: the API reads SageMaker endpoints' live
    // CloudWatch statistics with them (FLEDGE_SAGEMAKER_BUCKET turns the backend on).
    ...sageMakerBackendFields,
    FLEDGE_API_HOST: hostField('127.0.0.1'),
    FLEDGE_API_PORT: envVar.port(4000),
    /** Bootstrap admin key, accepted until real keys exist; hashed like any other key. */
    FLEDGE_ADMIN_API_KEY: envVar.secret({ minLength: 24 }),
    FLEDGE_MAX_UPLOAD_BYTES: envVar.bytes({ default: 2 * 2 ** 30, min: 1 }),
    FLEDGE_GRAPHQL_MAX_DEPTH: envVar.int({ default: 12, min: 1, max: 100 }),
    /** Estimated cost, with each list counted at the page size the service will really return. */
    FLEDGE_GRAPHQL_MAX_COMPLEXITY: envVar.int({ default: 1000, min: 1, max: 1_000_000 }),
    /** Lexical tokens in one document: bounds the parser's work before anything else runs. */
    FLEDGE_GRAPHQL_MAX_TOKENS: envVar.int({ default: 5000, min: 100, max: 100_000 }),
    FLEDGE_GRAPHQL_MAX_ALIASES: envVar.int({ default: 30, min: 1, max: 1000 }),
    FLEDGE_GRAPHQL_MAX_DIRECTIVES: envVar.int({ default: 50, min: 1, max: 1000 }),
    /** Developer flag: send stack traces in GraphQL errors. Off unless set, whatever NODE_ENV says. */
    FLEDGE_GRAPHQL_DEBUG: envVar.bool({ default: false }),
    /**
     * Hosts Amazon SNS signing certificates and subscription confirmations may come from: comma
     * separated, `*` standing for one DNS label, an optional `:port` (loopback hosts may use http).
     */
    FLEDGE_SNS_CERT_HOSTS: envVar.string({
      default: 'sns.*.amazonaws.com,sns.*.amazonaws.com.cn',
      pattern: /^\s*(?:\[::1\]|[A-Za-z0-9*.-]+)(?::\d{1,5})?(?:\s*,\s*(?:\[::1\]|[A-Za-z0-9*.-]+)(?::\d{1,5})?)*\s*$/,
      hint: 'must be a comma-separated list of host names or patterns (sns.*.amazonaws.com), each with an optional :port',
    }),
    /** PEM bundle of the CAs an SNS signing certificate must chain to; unset: Node's bundled root CAs. */
    FLEDGE_SNS_CA_FILE: envVar.string(),
  }),
  (vars, report) => {
    databaseRules(vars, report);
    artifactRules(vars, report);
    servingTokenRules(vars, report);
    sageMakerBackendRules(vars, report);
  },
);

export const loadApiConfig = defineConfigLoader('api', apiEnvSchema, (vars) => ({
  process: 'api' as const,
  ...buildCommon(vars),
  http: { host: vars.FLEDGE_API_HOST, port: vars.FLEDGE_API_PORT },
  database: buildDatabase(vars),
  artifacts: buildArtifacts(vars),
  temporal: buildTemporal(vars),
  serving: buildServingClient(vars),
  auth: { bootstrapAdminApiKey: vars.FLEDGE_ADMIN_API_KEY },
  uploads: { maxBytes: vars.FLEDGE_MAX_UPLOAD_BYTES },
  sagemaker: buildSageMakerDefaults(vars),
  sagemakerBackend: buildSageMakerBackend(vars),
  graphql: {
    maxDepth: vars.FLEDGE_GRAPHQL_MAX_DEPTH,
    maxComplexity: vars.FLEDGE_GRAPHQL_MAX_COMPLEXITY,
    maxTokens: vars.FLEDGE_GRAPHQL_MAX_TOKENS,
    maxAliases: vars.FLEDGE_GRAPHQL_MAX_ALIASES,
    maxDirectives: vars.FLEDGE_GRAPHQL_MAX_DIRECTIVES,
    debug: vars.FLEDGE_GRAPHQL_DEBUG,
  },
  sns: {
    certHosts: vars.FLEDGE_SNS_CERT_HOSTS.split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    caFile: vars.FLEDGE_SNS_CA_FILE ? path.resolve(vars.FLEDGE_SNS_CA_FILE) : null,
  },
}));

export type ApiConfig = ReturnType<typeof loadApiConfig>;
