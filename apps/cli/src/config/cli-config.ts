import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { loadCliConfig, Secret, type Env } from '@fledge/config';
import { FledgeError } from '@fledge/errors';

/** Where the CLI sends its requests. */
export interface ApiTarget {
  /** Base URL of the API, without `/graphql`. */
  url: string;
  key: Secret | undefined;
}

/** What `fledge login` stores: the API's base URL and the key. The file is private to the user (0600). */
export interface StoredCredentials {
  api: string;
  key: string;
}

export const CONFIG_FILE_NAME = 'config.json';

const isSet = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** `$FLEDGE_CONFIG_DIR`, else `$XDG_CONFIG_HOME/fledge`, else `~/.config/fledge`. */
export function configDirectory(env: Env, homeDir: string): string {
  if (isSet(env.FLEDGE_CONFIG_DIR)) return path.resolve(env.FLEDGE_CONFIG_DIR);
  const base = isSet(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homeDir, '.config');
  return path.join(base, 'fledge');
}

/** The API's base URL: `http://host:4000`, `http://host:4000/` and `http://host:4000/graphql` are one API. */
export function normaliseApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new FledgeError('INVALID_ARGUMENT', `${raw} is not a URL`, { reason: 'API_URL_INVALID' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FledgeError('INVALID_ARGUMENT', `the API URL must use http or https, not ${url.protocol}`, {
      reason: 'API_URL_INVALID',
    });
  }
  url.search = '';
  url.hash = '';
  return url.href.replace(/\/+$/, '').replace(/\/graphql$/, '');
}

export async function readStoredCredentials(dir: string): Promise<StoredCredentials | null> {
  const file = path.join(dir, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const { api, key } = (parsed ?? {}) as Partial<Record<keyof StoredCredentials, unknown>>;
  if (typeof api !== 'string' || typeof key !== 'string') {
    throw new FledgeError('INVALID_ARGUMENT', `${file} is not a fledge config file; run fledge login again`, {
      reason: 'CONFIG_FILE_INVALID',
    });
  }
  return { api, key };
}

/** Writes the credentials so that no other user can read them, replacing any older file whole. */
export async function writeStoredCredentials(dir: string, credentials: StoredCredentials): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, CONFIG_FILE_NAME);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  return file;
}

/**
 * Where the CLI sends requests: FLEDGE_API_URL / FLEDGE_API_KEY (validated by @fledge/config) win
 * over the file written by `fledge login`.
 */
export function resolveApiTarget(env: Env, stored: StoredCredentials | null): Partial<ApiTarget> {
  const fromEnv = loadCliConfig(env);
  const url = isSet(env.FLEDGE_API_URL) ? fromEnv.api.url : stored?.api;
  const key = fromEnv.api.apiKey ?? (stored ? new Secret(stored.key) : undefined);
  return { url: url === undefined ? undefined : normaliseApiUrl(url), key: key as Secret | undefined };
}
