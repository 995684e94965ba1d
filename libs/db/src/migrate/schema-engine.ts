import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum, type SqlResultSet } from '@prisma/driver-adapter-utils';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';

import { type MigrationFile } from './migration-files.js';
import { MIGRATION_LOCK_CONTENT, MIGRATION_LOCK_FILE } from './migration-files.js';

type SchemaEngine = engineBindings.SchemaEngine;
type WasmBindings = typeof engineBindings & { __wbg_set_wasm(exports: Record<string, unknown>): void };

// tsconfig's lib (ES2023, no DOM) does not declare WebAssembly, though Node has it.
interface WasmModule {
  readonly brand?: 'WasmModule';
}
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: Record<string, unknown>): Promise<{ exports: Record<string, unknown> }>;
  Module: { imports(module: WasmModule): { module: string }[] };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let loaded: Promise<void> | undefined;

/**
 * Instantiates the wasm schema engine by hand: the package's entry imports the `.wasm` file as
 * an ES module, which Node flags as experimental and Jest's module loader cannot do at all.
 */
function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const module = await wasmApi.compile(readFileSync(path.join(dir, 'schema_engine_bg.wasm')));
    const imports: Record<string, unknown> = {};
    for (const { module: name } of wasmApi.Module.imports(module)) imports[name] = engineBindings;
    const instance = await wasmApi.instantiate(module, imports);
    (engineBindings as WasmBindings).__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loaded;
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
/** Appended to the name of a `"char"` column between pg and the adapter, removed right after. */
const CHAR_MARK = '\u0000fledge:char';

type QueryResultLike = { fields?: { dataTypeID: number; name: string }[] };

function markCharColumns<T>(result: T): T {
  for (const r of (Array.isArray(result) ? result : [result]) as QueryResultLike[]) {
    for (const field of r?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        field.name += CHAR_MARK;
      }
    }
  }
  return result;
}

/**
 * adapter-pg rejects columns of Postgres's internal one-byte `"char"` type (OID 18, e.g.
 * `pg_constraint.contype`) with UnsupportedNativeDataType, yet the schema engine's introspection
 * reads them and expects a Character column. pg returns such values as strings: this client
 * labels the field as text (which the adapter accepts) and marks its name, and `withCharColumns`
 * turns the marked columns back into Character columns.
 */
class CharAwareClient extends pg.Client {
  // pg's overloads (promise or callback, config object or text) pass through unchanged.
  override query(...args: unknown[]): never {
    const callbackIndex = args.findIndex((a) => typeof a === 'function');
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex] as (err: unknown, res: unknown) => void;
      args[callbackIndex] = (err: unknown, res: unknown) => callback(err, err ? res : markCharColumns(res));
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const ret = (super.query as (...a: unknown[]) => unknown)(...args);
    return (ret instanceof Promise ? ret.then(markCharColumns) : ret) as never;
  }
}

function withCharColumns(result: SqlResultSet): SqlResultSet {
  const columnNames = result.columnNames.map((name) =>
    name.endsWith(CHAR_MARK) ? name.slice(0, -CHAR_MARK.length) : name,
  );
  const columnTypes = result.columnTypes.map((type, i) =>
    result.columnNames[i].endsWith(CHAR_MARK) ? ColumnTypeEnum.Character : type,
  );
  return { ...result, columnNames, columnTypes };
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/**
 * Runs `fn` with a wasm schema engine whose main and shadow connections both point at
 * `shadowUrl`, a scratch database the caller owns. Nothing else is ever touched: adapter-pg's own
 * `connectToShadowDb()` would connect to the main database.
 */
export async function withSchemaEngine<T>(
  shadowUrl: string,
  schema: { path: string; content: string },
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadWasm();
  const pool = new pg.Pool({ connectionString: shadowUrl, Client: CharAwareClient, max: 2 });
  const factory = new PrismaPg(pool);
  // adapter-pg's executeScript splits scripts on `;`, which breaks function bodies and comments
  // in hand-written migrations: send each script whole (simple query protocol) instead.
  const connect = async () => {
    const adapter = await factory.connect();
    adapter.executeScript = async (script: string) => {
      await pool.query(script);
    };
    const queryRaw = adapter.queryRaw.bind(adapter);
    adapter.queryRaw = async (query) => withCharColumns(await queryRaw(query));
    return adapter;
  };
  const shadowOnly = {
    provider: 'postgres' as const,
    adapterName: factory.adapterName,
    connect,
    connectToShadowDb: connect,
  };
  const engine = await engineBindings.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(shadowOnly),
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await pool.end();
  }
}

export function migrationList(migrationsDir: string, migrations: readonly MigrationFile[]) {
  return {
    baseDir: migrationsDir,
    lockfile: { path: MIGRATION_LOCK_FILE, content: MIGRATION_LOCK_CONTENT },
    shadowDbInitScript: '',
    migrationDirectories: migrations.map((m) => ({
      path: m.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value: m.sql } },
    })),
  };
}

/**
 * SQL that takes a database built by `migrations` to the state `schema` describes (empty when
 * they agree). The engine replays the migrations into the shadow database and compares.
 */
export async function diffMigrationsToSchema(
  shadowUrl: string,
  migrationsDir: string,
  migrations: readonly MigrationFile[],
  schema: { path: string; content: string },
): Promise<string> {
  return withSchemaEngine(shadowUrl, schema, async (engine) => {
    const result = await engine.diff({
      from: { tag: 'migrations', ...migrationList(migrationsDir, migrations) },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? '';
  });
}
