import { z } from 'zod';

import { LOG_LEVELS } from './common.config.js';
import { defineConfigLoader } from './config-loader.util.js';
import { envVar } from './env-var.util.js';

export const cliEnvSchema = z.object({
  FLEDGE_API_URL: envVar.url({ protocols: ['http', 'https'], default: 'http://127.0.0.1:4000/graphql' }),
  FLEDGE_API_KEY: envVar.secret(),
  FLEDGE_LOG_LEVEL: envVar.oneOf(LOG_LEVELS, { default: 'warn' }),
});

export const loadCliConfig = defineConfigLoader('cli', cliEnvSchema, (vars) => ({
  process: 'cli' as const,
  api: { url: vars.FLEDGE_API_URL, apiKey: vars.FLEDGE_API_KEY },
  log: { level: vars.FLEDGE_LOG_LEVEL },
}));

export type CliConfig = ReturnType<typeof loadCliConfig>;
