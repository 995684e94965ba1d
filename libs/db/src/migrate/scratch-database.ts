import { randomBytes } from 'node:crypto';

import pg from 'pg';

export interface ScratchDatabase {
  /** Connection string of the new, empty database (same server, user and options as the source). */
  readonly url: string;
  readonly name: string;
  /** Drops the database, closing any sessions still connected to it. */
  drop(): Promise<void>;
}

/**
 * Creates a throwaway database on the server of `serverUrl` (whose role needs CREATEDB). Used as
 * the schema engine's shadow database and for per-run test databases.
 */
export async function createScratchDatabase(serverUrl: string, prefix = 'fledge_scratch'): Promise<ScratchDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error(`invalid database name prefix "${prefix}"`);
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdminClient<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
