import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface WorkerProcess {
  /** Everything the process printed so far. */
  logs(): string;
  /** Parsed JSON log lines so far. */
  lines(): Record<string, unknown>[];
  /** Ends the process abruptly (a crash: no shutdown, no final heartbeat). */
  kill(): Promise<void>;
  /** SIGTERM, then waits for a clean exit; returns the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs the real worker entry point (apps/worker/src/main.ts) as a child process with the given
 * environment (the API's database, bucket and task queue) and waits until it polls.
 */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fledge-worker-'));
  let output = '';
  // One process (not scripts/run.mjs, which would leave its child running after a SIGKILL).
  const hooks = pathToFileURL(path.join(repoRoot, 'scripts', 'ts-hooks.mjs')).href;
  const args = ['--enable-source-maps', '--import', hooks, 'apps/worker/src/main.ts'];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      FLEDGE_LOG_LEVEL: 'info',
      ...env,
      FLEDGE_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const echo = process.env.FLEDGE_TEST_SERVER_LOGS === '1';
  const collect = (d: Buffer) => {
    output += d.toString();
    if (echo) process.stderr.write(d);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + 60_000;
  while (!output.includes('"msg":"worker started"')) {
    if (child.exitCode !== null)
      throw new Error(`the worker exited with ${child.exitCode} before starting:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the worker did not start within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const cleanup = () => rm(dataDir, { recursive: true, force: true });
  return {
    logs: () => output,
    lines: () =>
      output
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            return {};
          }
        }),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      await cleanup();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        const code = await exited;
        clearTimeout(timer);
        await cleanup();
        return code;
      }
      await cleanup();
      return child.exitCode;
    },
  };
}
