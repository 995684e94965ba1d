import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

/**
 * One database session the migration tooling drives by hand. Whole migration scripts run through
 * `exec` (the simple query protocol, many statements at once): the driver adapters' own
 * `executeScript` cannot be trusted with them (adapter-pg splits on `;`, which breaks function
 * bodies; the PGlite adapter does not await).
 */
export interface MigrationConnection {
  query<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  exec(script: string): Promise<void>;
}

/** A single pg client (not a pool): the advisory lock and each transaction live on one session. */
export function pgMigrationConnection(client: pg.Client | pg.PoolClient): MigrationConnection {
  return {
    async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const result = await client.query<R>(sql, params);
      return result.rows;
    },
    async exec(script: string) {
      await client.query(script);
    },
  };
}

export function pgliteMigrationConnection(db: PGlite): MigrationConnection {
  return {
    async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const result = await db.query<R>(sql, params);
      return result.rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
  };
}
