import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

import { EmbeddedAdapterFactory } from './embedded/pglite-adapter.js';
import { PrismaClient } from './generated/prisma/client.js';
import { deployMigrations, type DeployOptions, type DeployResult } from './migrate/deploy.js';
import { pgliteMigrationConnection, pgMigrationConnection } from './migrate/migration-connection.js';

export interface DatabaseOptions {
  /** PostgreSQL connection string. Without one, the embedded PGlite database is used. */
  databaseUrl?: string;
  /**
   * Data folder of the embedded database (created with its parents when missing), or
   * `memory://` for a throwaway in-memory one. Required when `databaseUrl` is absent.
   */
  embeddedDataDir?: string;
  /**
   * Apply pending migrations before returning. Defaults to true for the embedded database (it
   * lives in this process, nothing else can migrate it) and false for PostgreSQL, where
   * `migrate deploy` runs once per release rather than in every process.
   */
  migrate?: boolean;
  migrationsDir?: string;
  /** Connections in the PostgreSQL pool (pg's default is 10). */
  poolMax?: number;
  /** Called with every SQL statement Prisma sends (benchmarks and N+1 tests count them). */
  onQuery?: (sql: string) => void;
  log?: (line: string) => void;
}

export type DatabaseKind = 'postgres' | 'embedded';

/** An open database: the Prisma client plus what it runs on. Close it once, at shutdown. */
export interface FledgeDatabase {
  readonly prisma: PrismaClient;
  readonly kind: DatabaseKind;
  /** Pending migrations applied while opening (empty when none or when `migrate` was off). */
  readonly migrationsApplied: readonly string[];
  close(): Promise<void>;
}

/**
 * Opens Fledge's database: PostgreSQL through `@prisma/adapter-pg` when a URL is given,
 * otherwise the embedded PGlite (PostgreSQL in WebAssembly, one process) through
 * `pglite-prisma-adapter`. Both run the same migrations and the same repository code.
 */
export async function createPrismaClient(options: DatabaseOptions): Promise<FledgeDatabase> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openEmbedded(options);
}

async function openPostgres(databaseUrl: string, options: DatabaseOptions): Promise<FledgeDatabase> {
  const applied = options.migrate ? (await deployToUrl(databaseUrl, options)).applied : [];
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, max: options.poolMax }),
    ...(options.onQuery ? { log: [{ emit: 'event' as const, level: 'query' as const }] } : {}),
  });
  if (options.onQuery) {
    const onQuery = options.onQuery;
    (prisma as unknown as { $on(e: 'query', cb: (event: { query: string }) => void): void }).$on('query', (event) =>
      onQuery(event.query),
    );
  }
  await prisma.$connect();
  return {
    prisma,
    kind: 'postgres',
    migrationsApplied: applied,
    close: () => prisma.$disconnect(),
  };
}

async function openEmbedded(options: DatabaseOptions): Promise<FledgeDatabase> {
  const dataDir = options.embeddedDataDir;
  if (!dataDir) throw new Error('createPrismaClient: give either databaseUrl or embeddedDataDir');
  const inMemory = dataDir.startsWith('memory://');
  // PGlite creates its data folder but not the folders above it.
  if (!inMemory) await mkdir(path.dirname(path.resolve(dataDir)), { recursive: true });
  if (!inMemory) await initDataDir(path.resolve(dataDir));
  const pglite = await PGlite.create(inMemory ? dataDir : path.resolve(dataDir), { startParams: PGLITE_START_PARAMS });
  try {
    const applied =
      options.migrate === false ? [] : (await deployMigrations(pgliteMigrationConnection(pglite), options)).applied;
    const prisma = new PrismaClient({ adapter: new EmbeddedAdapterFactory(pglite) });
    return {
      prisma,
      kind: 'embedded',
      migrationsApplied: applied,
      close: async () => {
        await prisma.$disconnect();
        await pglite.close();
      },
    };
  } catch (error) {
    await pglite.close();
    throw error;
  }
}

// PGlite's default (160 MB of shared buffers in WebAssembly memory) is sized for a browser tab
// holding a whole app's data; the registry's rows fit in a few MB (npm run bench:footprint).
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

const initdbScript = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.ts') ? './embedded/pglite-initdb.ts' : './embedded/pglite-initdb.js',
    import.meta.url,
  ),
);

/**
 * Creates a new data folder in a short-lived process: initdb grows PGlite's WebAssembly memory to
 * about 500 MB, and in this process much of it would stay resident for good (freed, but held by
 * the allocator: about 100 MB more at idle, measured; a worker thread does not give it back
 * either). A process returns all of it.
 */
async function initDataDir(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [initdbScript, dataDir, JSON.stringify(PGLITE_START_PARAMS)], (error, _out, stderr) =>
      error
        ? reject(new Error(`creating the embedded database in ${dataDir} failed: ${stderr.trim() || error.message}`))
        : resolve(),
    );
  });
}

/** `migrate deploy` against a PostgreSQL URL, on one dedicated session. */
export async function deployToUrl(databaseUrl: string, options: DeployOptions = {}): Promise<DeployResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await deployMigrations(pgMigrationConnection(client), options);
  } finally {
    await client.end();
  }
}
