import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { FIXTURE_ENV } from './console-fixture.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * Starts console-stack.ts (servers + seed data) in a child process and waits for its "ready"
 * line; the returned teardown stops it (SIGTERM: servers closed, test database dropped).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // A console stack started by hand (`node scripts/run.mjs apps/web/test/support/console-stack.ts
  // <file>`) is reused when its fixture file is named: quicker re-runs while developing.
  if (process.env[FIXTURE_ENV]) return async () => undefined;
  if (!process.env.FLEDGE_STACK_DATABASE_URL) {
    throw new Error('the test stack is not sourced: `bash scripts/stack up` and `source .stack/stack.env` first');
  }
  const resultsDir = path.join(repoRoot, '.stack/test-results/web');
  await rm(path.join(resultsDir, 'figures.json'), { force: true });
  await mkdir(resultsDir, { recursive: true });
  const fixtureFile = path.join(resultsDir, 'fixture.json');
  const child = spawn(process.execPath, ['scripts/run.mjs', 'apps/web/test/support/console-stack.ts', fixtureFile], {
    cwd: repoRoot,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the console stack was not ready within 10 minutes:\n${output}`)),
      600_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('console-stack ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.FLEDGE_TEST_SERVER_LOGS === '1') process.stderr.write(chunk);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the console stack exited with code ${code} before it was ready:\n${output}`));
    });
  });
  process.env[FIXTURE_ENV] = fixtureFile;
  return async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
}
