import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { FledgeError } from '@fledge/errors';

import { type MigrationConnection } from './migration-connection.js';
import { checksumMatches, defaultMigrationsDir, type MigrationFile, readMigrations } from './migration-files.js';

/** The advisory lock key Prisma's own engine takes, so our deploy and `prisma migrate deploy` exclude each other. */
export const MIGRATION_ADVISORY_LOCK = 72707369;

/** Prisma's DDL for its history table (schema engine, PostgreSQL connector), verbatim. */
export const PRISMA_MIGRATIONS_TABLE_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

export interface DeployOptions {
  migrationsDir?: string;
  /** How long to wait for a concurrent deploy to finish. */
  lockTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface DeployResult {
  /** Names of the migrations this call applied, in order; empty when the database was up to date. */
  applied: string[];
  /** How many migrations were already recorded as applied. */
  alreadyApplied: number;
}

interface HistoryRow extends Record<string, unknown> {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

/**
 * Applies pending migrations in name order, each in its own transaction, recording them in
 * `_prisma_migrations` the way Prisma does. Refuses to touch the database when the recorded history
 * and the migrations folder disagree (an applied file was edited or deleted, or a migration failed
 * earlier): those need a human. Re-running is a no-op.
 */
export async function deployMigrations(conn: MigrationConnection, options: DeployOptions = {}): Promise<DeployResult> {
  const migrations = await readMigrations(options.migrationsDir ?? defaultMigrationsDir());
  const log = options.log ?? (() => undefined);
  await acquireLock(conn, options.lockTimeoutMs ?? 60_000);
  try {
    const history = await readHistory(conn);
    verifyHistory(history, migrations);
    const done = new Set(history.map((row) => row.migration_name));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      log(`applying ${migration.name}`);
      await applyOne(conn, migration);
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_ADVISORY_LOCK]).catch(() => undefined);
  }
}

/** What `deploy` would do, without doing it (and without creating the history table). */
export async function pendingMigrations(
  conn: MigrationConnection,
  options: Pick<DeployOptions, 'migrationsDir'> = {},
): Promise<string[]> {
  const migrations = await readMigrations(options.migrationsDir ?? defaultMigrationsDir());
  const [{ exists }] = await conn.query<{ exists: boolean }>(
    `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS "exists"`,
  );
  const history = exists ? await readHistory(conn) : [];
  verifyHistory(history, migrations);
  const done = new Set(history.map((row) => row.migration_name));
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}

async function acquireLock(conn: MigrationConnection, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ locked }] = await conn.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      MIGRATION_ADVISORY_LOCK,
    ]);
    if (locked) return;
    if (Date.now() > deadline) {
      throw new FledgeError('UNAVAILABLE', `another migration deploy has held the lock for over ${timeoutMs} ms`, {
        reason: 'MIGRATION_LOCK_TIMEOUT',
      });
    }
    await sleep(200);
  }
}

async function readHistory(conn: MigrationConnection): Promise<HistoryRow[]> {
  const [{ exists }] = await conn.query<{ exists: boolean }>(
    `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS "exists"`,
  );
  if (!exists) await conn.exec(PRISMA_MIGRATIONS_TABLE_DDL);
  return conn.query<HistoryRow>(
    `SELECT migration_name, checksum, finished_at FROM _prisma_migrations
      WHERE rolled_back_at IS NULL ORDER BY started_at, migration_name`,
  );
}

function verifyHistory(history: HistoryRow[], migrations: MigrationFile[]): void {
  const local = new Map(migrations.map((m) => [m.name, m]));
  for (const row of history) {
    if (row.finished_at === null) {
      throw new FledgeError(
        'FAILED_PRECONDITION',
        `migration ${row.migration_name} failed earlier and was left unfinished; fix the database by hand, then mark it rolled back (prisma migrate resolve --rolled-back ${row.migration_name})`,
        { reason: 'MIGRATION_FAILED_EARLIER', details: { migration: row.migration_name } },
      );
    }
    const file = local.get(row.migration_name);
    if (!file) {
      throw new FledgeError(
        'FAILED_PRECONDITION',
        `migration ${row.migration_name} is applied to the database but missing from the migrations folder`,
        { reason: 'MIGRATION_MISSING', details: { migration: row.migration_name } },
      );
    }
    if (!checksumMatches(row.checksum, file.sql)) {
      throw new FledgeError(
        'FAILED_PRECONDITION',
        `migration ${row.migration_name} was modified after it was applied (checksum ${file.checksum} ≠ recorded ${row.checksum}); applied migrations must never change: add a new migration instead`,
        { reason: 'MIGRATION_MODIFIED', details: { migration: row.migration_name } },
      );
    }
  }
}

async function applyOne(conn: MigrationConnection, migration: MigrationFile): Promise<void> {
  await conn.exec('BEGIN');
  try {
    const [{ started }] = await conn.query<{ started: string }>('SELECT clock_timestamp()::text AS started');
    await conn.exec(migration.sql);
    await conn.query(
      `INSERT INTO _prisma_migrations
         (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, $4::timestamptz, 1)`,
      [randomUUID(), migration.checksum, migration.name, started],
    );
    await conn.exec('COMMIT');
  } catch (error) {
    await conn.exec('ROLLBACK').catch(() => undefined);
    throw new FledgeError(
      'INTERNAL',
      `migration ${migration.name} failed and was rolled back: ${(error as Error).message}`,
      { reason: 'MIGRATION_APPLY_FAILED', details: { migration: migration.name }, cause: error },
    );
  }
}
