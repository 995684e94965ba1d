import { type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { FledgeError } from '@fledge/errors';
import { type Logger } from '@fledge/logger';

import { findProcesses, spawnTiedToParent, stopProcess } from './process-control.js';

export interface TemporalDevServerOptions {
  /** The `temporal` CLI binary. */
  cli: string;
  ip: string;
  port: number;
  uiPort: number;
  /** The server's SQLite state; it also identifies the server of a data dir across runs. */
  dbFilename: string;
  namespace: string;
  /** Registered at start (keys from `defineSearchAttributeKey`). */
  searchAttributes: readonly { name: string; type: SearchAttributeType }[];
  logger: Logger;
  readyTimeoutMs?: number;
}

export interface TemporalDevServer {
  address: string;
  pid: number;
  close(): Promise<void>;
}

const cliTypes: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** True for `temporal server start-dev … --db-filename <dbFilename> …` (any spelling of the flag). */
export function isDevServerOf(dbFilename: string, argv: readonly string[]): boolean {
  if (!argv.includes('start-dev')) return false;
  return argv.some(
    (arg, i) =>
      arg === `--db-filename=${dbFilename}` ||
      arg === `-f=${dbFilename}` ||
      ((arg === '--db-filename' || arg === '-f') && argv[i + 1] === dbFilename),
  );
}

/**
 * Stops Temporal dev servers left running on this data dir by an earlier run (one whose parent
 * was killed before it could stop them, or one started by an older Fledge without a parent-death
 * signal). Stopping rather than reusing: a server we did not start cannot be tied to this process,
 * so reusing it would leave it behind again; its state is in the SQLite file and survives.
 */
export async function stopStaleDevServers(dbFilename: string, logger: Logger): Promise<number[]> {
  const stale = await findProcesses((argv) => isDevServerOf(dbFilename, argv));
  for (const pid of stale) {
    logger.warn({ pid, dbFilename }, 'stopping a Temporal dev server left running by an earlier run');
    await stopProcess(pid);
  }
  return stale;
}

/**
 * Starts `temporal server start-dev` for the all-in-one process, tied to it: the kernel stops the
 * server when this process dies, even by SIGKILL (see spawnTiedToParent), and `close()` stops it
 * in order. Resolves once the frontend answers for the namespace.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const { logger } = options;
  const address = `${options.ip}:${options.port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    options.ip,
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    options.dbFilename,
    '--namespace',
    options.namespace,
    '--log-format',
    'pretty',
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    ...options.searchAttributes.flatMap((a) => ['--search-attribute', `${a.name}=${cliTypes[a.type]}`]),
  ];
  const { child, parentDeathSignal } = spawnTiedToParent(options.cli, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a terminal's Ctrl-C reaches Fledge, which stops the server in order.
    detached: true,
    env: {
      ...process.env,
      // Go's soft memory limit: the idle server's heap stays small (measured by bench:footprint).
      GOMEMLIMIT: process.env.GOMEMLIMIT ?? '48MiB',
    },
  });
  if (!parentDeathSignal) {
    logger.warn('setpriv (util-linux) is missing: the Temporal dev server will outlive Fledge if Fledge is killed');
  }
  const log = logger.child({ component: 'temporal' });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => line.trim() && log.info(line));
  }
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? code));
    child.once('error', (error) => resolve(error.message));
  });

  try {
    await waitUntilServing(address, options.namespace, exited, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
  logger.info({ pid: child.pid, address, ui: `http://${options.ip}:${options.uiPort}` }, 'Temporal dev server ready');
  return { address, pid: child.pid!, close: () => stopChild(child, exited) };
}

async function waitUntilServing(
  address: string,
  namespace: string,
  exited: Promise<number | string | null>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone: number | string | null | undefined;
  void exited.then((status) => (gone = status ?? 'exit'));
  let lastError: unknown;
  while (gone === undefined && Date.now() < deadline) {
    try {
      // gRPC waits for the channel to become ready (reconnecting with backoff) up to the timeout.
      const connection = await Connection.connect({ address, connectTimeout: Math.max(1000, deadline - Date.now()) });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      // Refused before the listener opened, or the namespace is being created: try again shortly.
      if (gone === undefined) await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 200))]);
    }
  }
  throw new FledgeError(
    'UNAVAILABLE',
    gone !== undefined
      ? `the Temporal dev server exited (${String(gone)}) before it was ready; see its lines above in the log`
      : `the Temporal dev server did not answer on ${address} within ${timeoutMs} ms: ${(lastError as Error)?.message}`,
    { reason: 'TEMPORAL_DEV_SERVER_FAILED' },
  );
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
