import { availableParallelism } from 'node:os';

import { z } from 'zod';

import {
  artifactFields,
  artifactRules,
  buildArtifacts,
  buildCommon,
  commonFields,
  hostField,
  resolveServingAdminToken,
  servingTokenFields,
  servingTokenRules,
} from './common.config.js';
import { defineConfigLoader, withRules } from './config-loader.util.js';
import { envVar } from './env-var.util.js';

export const MAX_SERVING_PROCESSES = 64;
const REUSE_PORT_PLATFORMS: ReadonlySet<string> = new Set(['linux', 'freebsd']);

/** One data-plane process per 2 cores (each has its HTTP thread and its inference threads). */
export function defaultServingProcesses(cores = availableParallelism()): number {
  return Math.max(1, Math.min(MAX_SERVING_PROCESSES, Math.floor(cores / 2)));
}

export const servingEnvSchema = withRules(
  z.object({
    ...commonFields,
    ...artifactFields,
    ...servingTokenFields,
    FLEDGE_SERVING_HOST: hostField('127.0.0.1'),
    FLEDGE_SERVING_PORT: envVar.port(8080),
    // The admin API applies models: loopback unless the operator opens it on purpose, whatever
    // address the data plane listens on.
    FLEDGE_SERVING_ADMIN_HOST: hostField('127.0.0.1'),
    FLEDGE_SERVING_ADMIN_PORT: envVar.port(8081),
    FLEDGE_SERVING_BODY_TIMEOUT_MS: envVar.int({ default: 30_000, min: 100, max: 600_000 }),
    // Data-plane processes sharing FLEDGE_SERVING_PORT (SO_REUSEPORT); default one per 2 cores.
    FLEDGE_SERVING_PROCESSES: envVar.int({ min: 1, max: MAX_SERVING_PROCESSES }),
  }),
  (vars, report) => {
    artifactRules(vars, report);
    servingTokenRules(vars, report);
    if (vars.FLEDGE_SERVING_ADMIN_PORT === vars.FLEDGE_SERVING_PORT)
      report('FLEDGE_SERVING_ADMIN_PORT', 'must differ from FLEDGE_SERVING_PORT');
    if ((vars.FLEDGE_SERVING_PROCESSES ?? 1) > 1 && !REUSE_PORT_PLATFORMS.has(process.platform))
      report(
        'FLEDGE_SERVING_PROCESSES',
        `must be 1 on ${process.platform}: sharing the port needs SO_REUSEPORT (Linux)`,
      );
  },
);

export const loadServingConfig = defineConfigLoader('serving', servingEnvSchema, (vars) => ({
  process: 'serving' as const,
  ...buildCommon(vars),
  artifacts: buildArtifacts(vars),
  http: {
    host: vars.FLEDGE_SERVING_HOST,
    port: vars.FLEDGE_SERVING_PORT,
    bodyTimeoutMs: vars.FLEDGE_SERVING_BODY_TIMEOUT_MS,
    processes: vars.FLEDGE_SERVING_PROCESSES ?? defaultServingProcesses(),
  },
  admin: {
    host: vars.FLEDGE_SERVING_ADMIN_HOST,
    port: vars.FLEDGE_SERVING_ADMIN_PORT,
    token: resolveServingAdminToken(vars),
  },
}));

export type ServingConfig = ReturnType<typeof loadServingConfig>;
