import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import {
  defaultMigrationsDir,
  defaultSchemaPath,
  MIGRATION_LOCK_CONTENT,
  MIGRATION_LOCK_FILE,
  migrationFolderName,
  readMigrations,
} from './migration-files.js';
import { diffMigrationsToSchema } from './schema-engine.js';
import { createScratchDatabase } from './scratch-database.js';

export interface AuthoringOptions {
  /**
   * A PostgreSQL server whose role may CREATE DATABASE. A throwaway shadow database is created on
   * it, receives the existing migrations, is compared with the schema and is dropped again; the
   * database named in the URL itself is never touched.
   */
  serverUrl: string;
  migrationsDir?: string;
  schemaPath?: string;
}

/** True when a generated script holds no statement (the engine still emits comments). */
export function isEmptyMigration(sql: string): boolean {
  return (
    sql
      .replace(/--[^\n]*/g, '')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .trim() === ''
  );
}

/** The SQL that would bring a database built from the migrations folder to schema.prisma. */
export async function diffSchemaAgainstMigrations(options: AuthoringOptions): Promise<string> {
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir();
  const schemaPath = options.schemaPath ?? defaultSchemaPath();
  const schema = { path: path.basename(schemaPath), content: await readFile(schemaPath, 'utf8') };
  const migrations = await readMigrations(migrationsDir);
  const shadow = await createScratchDatabase(options.serverUrl, 'fledge_shadow');
  try {
    const sql = await diffMigrationsToSchema(shadow.url, migrationsDir, migrations, schema);
    return isEmptyMigration(sql) ? '' : sql;
  } finally {
    await shadow.drop();
  }
}

export interface CreatedMigration {
  name: string;
  file: string;
  sql: string;
}

/** `migrate new <name>`: writes `<timestamp>_<name>/migration.sql`, or returns null when nothing changed. */
export async function createMigration(
  name: string,
  options: AuthoringOptions & { now?: Date },
): Promise<CreatedMigration | null> {
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir();
  const folder = migrationFolderName(name, options.now);
  const sql = await diffSchemaAgainstMigrations({ ...options, migrationsDir });
  if (sql === '') return null;
  await mkdir(path.join(migrationsDir, folder), { recursive: true });
  const lockFile = path.join(migrationsDir, MIGRATION_LOCK_FILE);
  if (!existsSync(lockFile)) await writeFile(lockFile, MIGRATION_LOCK_CONTENT);
  const file = path.join(migrationsDir, folder, 'migration.sql');
  await writeFile(file, sql.endsWith('\n') ? sql : `${sql}\n`, { flag: 'wx' });
  return { name: folder, file, sql };
}

export interface DriftReport {
  drift: boolean;
  /** The SQL a new migration would need; empty when schema and migrations agree. */
  sql: string;
}

/** `migrate check`: schema.prisma and the migrations folder must describe the same database. */
export async function checkDrift(options: AuthoringOptions): Promise<DriftReport> {
  const sql = await diffSchemaAgainstMigrations(options);
  return { drift: sql !== '', sql };
}
