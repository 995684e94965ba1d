import { ConfigError } from './config-error.js';
import { type Env } from './env-var.util.js';

/** EX_CONFIG from sysexits.h: "configuration error". */
export const CONFIG_EXIT_CODE = 78;

/**
 * Loads a process's config from its real environment at boot. A bad environment prints the
 * message (which names each bad variable, never a value) and stops the process: no half-alive
 * server with a wrong setting.
 */
export function bootConfig<T>(loader: (env: Env) => T, env: Env = process.env): T {
  try {
    return loader(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(CONFIG_EXIT_CODE);
  }
}
