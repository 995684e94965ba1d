import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { checkDrift, createMigration, defaultMigrationsDir, defaultPrismaDir, defaultSchemaPath } from '@fledge/db';
import { stackDatabaseUrl } from '@fledge/testing';

jest.setTimeout(60_000);

const run = promisify(execFile);
const repoRoot = path.dirname(defaultPrismaDir());

/** The real CLI, as `npm run migrate:check` runs it. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [path.join(repoRoot, 'scripts/run.mjs'), path.join(repoRoot, 'libs/db/src/migrate/cli.ts'), ...args],
      { cwd: repoRoot, env: { ...process.env, DATABASE_URL: stackDatabaseUrl() } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('migration drift check (wasm schema engine, own shadow database)', () => {
  let work: string;
  let changedSchema: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'fledge-drift-'));
    changedSchema = path.join(work, 'schema.prisma');
    const schema = await readFile(defaultSchemaPath(), 'utf8');
    const withExtraField = schema.replace(/(model Model \{\n)/, '$1  tags        String[]\n');
    expect(withExtraField).not.toBe(schema);
    await writeFile(changedSchema, withExtraField);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('passes for the committed schema and migrations (raw-SQL extras do not count as drift)', async () => {
    const report = await checkDrift({ serverUrl: stackDatabaseUrl() });
    expect(report).toEqual({ drift: false, sql: '' });
  });

  it('fails when schema.prisma changed without a migration, showing the SQL needed', async () => {
    const report = await checkDrift({ serverUrl: stackDatabaseUrl(), schemaPath: changedSchema });
    expect(report.drift).toBe(true);
    expect(report.sql).toMatch(/ALTER TABLE "models" ADD COLUMN\s+"tags" TEXT\[\]/);
  });

  it('the CLI exits non-zero on drift and zero without', async () => {
    const drift = await cli(['check', '--schema', changedSchema]);
    expect(drift.code).toBe(1);
    expect(drift.stderr).toContain('"tags"');
    const clean = await cli(['check']);
    expect(clean).toMatchObject({ code: 0 });
    expect(clean.stdout).toContain('no drift');
  });

  it('migrate new writes a Prisma-format migration that removes the drift, and nothing when there is none', async () => {
    const migrationsDir = path.join(work, 'migrations');
    await cp(defaultMigrationsDir(), migrationsDir, { recursive: true });
    const options = { serverUrl: stackDatabaseUrl(), migrationsDir, schemaPath: changedSchema };

    const created = await createMigration('Add model tags', { ...options, now: new Date('2099-01-02T03:04:05Z') });

    expect(created?.name).toBe('20990102030405_add_model_tags');
    expect(await readFile(path.join(migrationsDir, created!.name, 'migration.sql'), 'utf8')).toContain('"tags"');
    expect(await checkDrift(options)).toEqual({ drift: false, sql: '' });
    expect(await createMigration('again', options)).toBeNull();
    expect((await readdir(migrationsDir)).filter((n) => n.endsWith('_again'))).toEqual([]);
    // Every migration applied to a shadow database twice by the wasm engine: minutes on a busy machine.
  }, 240_000);
});
