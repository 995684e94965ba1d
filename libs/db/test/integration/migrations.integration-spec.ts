import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';

import { createPrismaClient, defaultMigrationsDir, deployToUrl, readMigrations } from '@fledge/db';
import { FledgeError } from '@fledge/errors';
import { createTestDatabase, type TestDatabase } from '@fledge/testing';

interface HistoryRow {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
  rolled_back_at: Date | null;
}

async function query<R>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as R[];
  } finally {
    await client.end();
  }
}

const history = (url: string) => query<HistoryRow>(url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name');

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fledge-migrations-'));
  await cp(defaultMigrationsDir(), dir, { recursive: true });
  return dir;
}

jest.setTimeout(60_000);

describe('migrate deploy on PostgreSQL', () => {
  let db: TestDatabase;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    cleanups.push(() => db.drop());
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('applies every migration to an empty database, recorded like Prisma records them', async () => {
    const migrations = await readMigrations(defaultMigrationsDir());
    expect(migrations.length).toBeGreaterThanOrEqual(2);

    const result = await deployToUrl(db.url);

    expect(result).toEqual({ applied: migrations.map((m) => m.name), alreadyApplied: 0 });
    const rows = await history(db.url);
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      const bytes = await readFile(path.join(defaultMigrationsDir(), row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      if (i > 0) expect(row.started_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1].finished_at!.getTime());
    }
    const tables = await query<{ t: string }>(
      db.url,
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expect(tables.map((r) => r.t)).toEqual(
      expect.arrayContaining(['models', 'model_versions', 'endpoint_variants', 'rollouts', 'audit_events', 'api_keys']),
    );
    const [trigger] = await query<{ deferrable: boolean; deferred: boolean }>(
      db.url,
      `SELECT tgdeferrable AS deferrable, tginitdeferred AS deferred FROM pg_trigger
        WHERE tgname = 'endpoint_variants_serving_weights_sum_100'`,
    );
    expect(trigger).toEqual({ deferrable: true, deferred: true });
  });

  it('re-running deploy is a no-op', async () => {
    const before = await history(db.url);
    const result = await deployToUrl(db.url);
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied).toBe(before.length);
    expect(await history(db.url)).toEqual(before);
  });

  it('two deploys at once apply each migration once (advisory lock)', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    cleanups.push(() => fresh.drop());
    const [a, b] = await Promise.all([deployToUrl(fresh.url), deployToUrl(fresh.url)]);
    const total = (await readMigrations(defaultMigrationsDir())).length;
    expect(a.applied.length + b.applied.length).toBe(total);
    expect([a.applied.length, b.applied.length]).toContain(0);
    expect(await history(fresh.url)).toHaveLength(total);
  });

  it('refuses to run when an applied migration was edited, naming it, and changes nothing', async () => {
    const dir = await copyOfMigrations();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const [first] = await readMigrations(dir);
    const file = path.join(dir, first.name, 'migration.sql');
    await writeFile(file, `${await readFile(file, 'utf8')}\n-- edited after it was applied\n`);
    // A pending migration after the edited one must not be applied either.
    await cp(path.join(defaultMigrationsDir(), first.name), path.join(dir, '29991231000000_later'), {
      recursive: true,
    });
    await writeFile(path.join(dir, '29991231000000_later', 'migration.sql'), 'CREATE TABLE must_not_exist (id int);\n');
    const before = await history(db.url);

    const error = await deployToUrl(db.url, { migrationsDir: dir }).catch((e: unknown) => e);

    expect(FledgeError.is(error, 'FAILED_PRECONDITION')).toBe(true);
    expect((error as FledgeError).reason).toBe('MIGRATION_MODIFIED');
    expect((error as Error).message).toContain(first.name);
    expect(await history(db.url)).toEqual(before);
    expect(await query(db.url, "SELECT to_regclass('must_not_exist') AS t")).toEqual([{ t: null }]);
  });

  it('refuses to run when an applied migration is missing locally', async () => {
    const dir = await copyOfMigrations();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const migrations = await readMigrations(dir);
    await rm(path.join(dir, migrations[migrations.length - 1].name), { recursive: true });

    const error = await deployToUrl(db.url, { migrationsDir: dir }).catch((e: unknown) => e);

    expect((error as FledgeError).reason).toBe('MIGRATION_MISSING');
    expect((error as Error).message).toContain(migrations[migrations.length - 1].name);
  });

  it('rolls a failing migration back whole and records nothing', async () => {
    const fresh = await createTestDatabase();
    cleanups.push(() => fresh.drop());
    const dir = await copyOfMigrations();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(path.join(dir, (await readMigrations(dir))[0].name), path.join(dir, '29991231000000_broken'), {
      recursive: true,
    });
    await writeFile(
      path.join(dir, '29991231000000_broken', 'migration.sql'),
      'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n',
    );
    const before = await history(fresh.url);

    const error = await deployToUrl(fresh.url, { migrationsDir: dir }).catch((e: unknown) => e);

    expect((error as FledgeError).reason).toBe('MIGRATION_APPLY_FAILED');
    expect((error as Error).message).toContain('29991231000000_broken');
    expect(await history(fresh.url)).toEqual(before);
    expect(await query(fresh.url, "SELECT to_regclass('half_done') AS t")).toEqual([{ t: null }]);
  });
});

describe('migrate deploy on the embedded database (PGlite)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'fledge-pglite-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('applies the migrations at start into a new nested folder, and reopening is a no-op', async () => {
    const dataDir = path.join(root, 'not', 'yet', 'there', 'pglite');
    const migrations = await readMigrations(defaultMigrationsDir());

    const first = await createPrismaClient({ embeddedDataDir: dataDir });
    try {
      expect(first.kind).toBe('embedded');
      expect(first.migrationsApplied).toEqual(migrations.map((m) => m.name));
      await first.prisma.model.create({
        data: { name: 'iris', task: 'classification', modality: 'tabular', owner: 'alice' },
      });
      const rows = await first.prisma.$queryRawUnsafe<{ checksum: string; migration_name: string }[]>(
        'SELECT checksum, migration_name FROM _prisma_migrations ORDER BY migration_name',
      );
      expect(rows).toEqual(migrations.map((m) => ({ checksum: m.checksum, migration_name: m.name })));
    } finally {
      await first.close();
    }

    const second = await createPrismaClient({ embeddedDataDir: dataDir });
    try {
      expect(second.migrationsApplied).toEqual([]);
      expect(await second.prisma.model.findUnique({ where: { name: 'iris' } })).toMatchObject({ owner: 'alice' });
    } finally {
      await second.close();
    }
  });
});
