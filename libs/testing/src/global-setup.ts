// Jest globalSetup of the integration and e2e tiers: one database per run on the stack's
// PostgreSQL, migrated once, handed to the test workers as DATABASE_URL (Jest starts the workers
// after globalSetup, and they inherit its environment). global-teardown.ts drops it; databases
// left by killed runs are dropped here once they are a day old.
// Jest loads this file as CommonJS without the `@fledge/*` aliases or `.js`→`.ts` mapping, so it
// imports only packages and does the Fledge part in a child process (scripts/run.mjs).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import pg from 'pg';

// Jest runs globalSetup from the repo root (its rootDir) when it cannot give a file location.
const repoRoot = typeof __dirname === 'string' ? path.resolve(__dirname, '../../..') : process.cwd();

export default async function globalSetup(): Promise<void> {
  const serverUrl = process.env.FLEDGE_STACK_DATABASE_URL;
  if (!serverUrl) {
    // Suites that need no server still run; a suite asking for a database gets this message.
    console.warn(
      '\n[fledge] FLEDGE_STACK_DATABASE_URL is not set: no test database for this run. Start the test stack ' +
        '(`bash scripts/stack up`) and `source .stack/stack.env` before running integration tests.\n',
    );
    return;
  }
  if (!existsSync(path.join(repoRoot, 'libs/db/src/generated/prisma/client.ts'))) {
    execFileSync('bash', [path.join(repoRoot, 'scripts/prisma-generate')], { stdio: 'inherit' });
  }
  await dropStaleDatabases(serverUrl);
  const out = execFileSync(
    process.execPath,
    [path.join(repoRoot, 'scripts/run.mjs'), path.join(repoRoot, 'libs/testing/src/test-database.cli.ts'), 'create'],
    { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const { url, name } = JSON.parse(out.trim().split('\n').pop()!) as { url: string; name: string };
  process.env.DATABASE_URL = url;
  process.env.FLEDGE_TEST_RUN_DATABASE = name;
}

/** Scratch database names carry their creation time (`<prefix>_<base36 ms>_<random>`). */
async function dropStaleDatabases(serverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'fledge\\_test\\_%' OR datname LIKE 'fledge\\_shadow\\_%'`,
    );
    const dayAgo = Date.now() - 24 * 3600 * 1000;
    for (const { datname } of rows) {
      const created = parseInt(/^fledge_(?:test|shadow)_([0-9a-z]+)_[0-9a-f]+$/.exec(datname)?.[1] ?? '', 36);
      if (created < dayAgo) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
