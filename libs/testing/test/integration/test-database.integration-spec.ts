import { describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { readMigrations } from '@fledge/db';

import { createTestDatabase, openTestDatabase, testDatabaseUrl } from '../../src/index.js';

async function scalar<T>(url: string, sql: string): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Object.values((await client.query(sql)).rows[0] ?? {})[0] as T;
  } finally {
    await client.end();
  }
}

describe('test databases', () => {
  it('globalSetup hands this worker a migrated database of its own', async () => {
    const url = testDatabaseUrl();
    expect(new URL(url).pathname).toMatch(/^\/fledge_test_/);
    const applied = await scalar<string>(
      url,
      'SELECT count(*)::int FROM _prisma_migrations WHERE finished_at IS NOT NULL',
    );
    expect(applied).toBe((await readMigrations((await import('@fledge/db')).defaultMigrationsDir())).length);
    const db = await openTestDatabase();
    try {
      expect(await db.prisma.model.count()).toBeGreaterThanOrEqual(0);
    } finally {
      await db.close();
    }
  });

  it('createTestDatabase makes a fresh, optionally empty, database and drops it', async () => {
    const empty = await createTestDatabase({ migrate: false });
    const migrated = await createTestDatabase();
    try {
      expect(empty.url).not.toBe(migrated.url);
      expect(await scalar<string | null>(empty.url, "SELECT to_regclass('models')::text")).toBeNull();
      expect(await scalar<string>(migrated.url, "SELECT to_regclass('models')::text")).toBe('models');
    } finally {
      await empty.drop();
      await migrated.drop();
    }
    await expect(scalar(empty.url, 'SELECT 1')).rejects.toThrow(/does not exist/);
  });
});
