// Linux process bookkeeping for the all-in-one process: who holds a data dir, which stale servers
// an earlier run left, and how a child follows its parent when the parent is killed.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { open, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';

import { FledgeError } from '@fledge/errors';

/**
 * A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat): with the pid
 * it names one process, so a recycled pid is never mistaken for the one recorded.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined; // a zombie has exited already
    return fields[19];
  } catch {
    return undefined;
  }
}

export interface DataDirLock {
  readonly file: string;
  release(): Promise<void>;
}

/**
 * Claims a data dir for this process (`<dataDir>/fledge.pid`: pid and start time). Two processes
 * on one PGlite folder would corrupt it, so a live holder is refused; a holder that is gone (the
 * process was killed) leaves a stale file, which is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = path.join(dataDir, 'fledge.pid');
  const record = JSON.stringify({ pid: process.pid, startTime: processStartTime(process.pid) ?? null });
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o644);
      await handle.writeFile(`${record}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = await readLock(file);
      if (holder && holder.pid !== process.pid && processStartTime(holder.pid) === holder.startTime) {
        throw new FledgeError(
          'FAILED_PRECONDITION',
          `Fledge is already running on ${dataDir} (pid ${holder.pid}); stop it first (Ctrl-C where it runs, or kill ${holder.pid})`,
          { reason: 'DATA_DIR_IN_USE', details: { pid: holder.pid } },
        );
      }
      await rm(file, { force: true });
    }
  }
  return {
    file,
    async release() {
      const holder = await readLock(file);
      if (holder?.pid === process.pid) await rm(file, { force: true });
    },
  };
}

async function readLock(file: string): Promise<{ pid: number; startTime: string | null } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { pid?: unknown; startTime?: unknown };
    if (typeof parsed.pid !== 'number') return undefined;
    return { pid: parsed.pid, startTime: typeof parsed.startTime === 'string' ? parsed.startTime : null };
  } catch {
    return undefined;
  }
}

/** Pids of this user's processes whose command line satisfies `match` (never this process). */
export async function findProcesses(match: (argv: string[]) => boolean): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').filter(Boolean);
      if (argv.length > 0 && match(argv)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/**
 * Stops a process that is not our child: SIGTERM, then SIGKILL after `graceMs`. Resolves once it
 * has exited. Without a handle on another parent's child there is no exit event to wait for, so
 * this polls its /proc entry (every 50 ms, bounded by the grace period).
 */
export async function stopProcess(pid: number, graceMs = 10_000): Promise<void> {
  const startTime = processStartTime(pid);
  if (startTime === undefined) return;
  const alive = () => processStartTime(pid) === startTime;
  const waitGone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return !alive();
  };
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (await waitGone(graceMs)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  if (!(await waitGone(5_000))) throw new Error(`process ${pid} did not exit after SIGKILL`);
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat('/usr/bin', '/bin')) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Spawns `command` so that it is sent `signal` when this process dies, however it dies (SIGKILL
 * included): util-linux's `setpriv --pdeathsig` sets the kernel's parent-death signal
 * (prctl PR_SET_PDEATHSIG) and then execs the command, so no wrapper process stays around. The
 * signal follows the thread that spawned the child; Node spawns from its main thread, which lives
 * as long as the process. Where setpriv is missing (not Linux), the child is spawned plainly and
 * `parentDeathSignal` is false: a later start still finds and stops it (see findProcesses).
 */
export function spawnTiedToParent(
  command: string,
  args: readonly string[],
  options: SpawnOptions,
  signal: NodeJS.Signals = 'SIGTERM',
): { child: ChildProcess; parentDeathSignal: boolean } {
  const setpriv = process.platform === 'linux' ? onPath('setpriv') : undefined;
  if (!setpriv) return { child: spawn(command, [...args], options), parentDeathSignal: false };
  return {
    child: spawn(setpriv, [`--pdeathsig=${signal}`, '--', command, ...args], options),
    parentDeathSignal: true,
  };
}

export interface PortClaim {
  /** The setting that chose the port, named in the error. */
  variable: string;
  host: string;
  port: number;
}

/** Refuses, naming each setting, when any of the ports is taken (before anything starts). */
export async function assertPortsFree(claims: readonly PortClaim[]): Promise<void> {
  const busy: PortClaim[] = [];
  for (const claim of claims) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(claim.port, claim.host, () => server.close(() => resolve(true)));
    });
    if (!free) busy.push(claim);
  }
  if (busy.length > 0) {
    throw new FledgeError(
      'FAILED_PRECONDITION',
      busy
        .map((c) => `port ${c.port} (${c.variable}) is in use by another program: set ${c.variable} to a free port`)
        .join('; '),
      { reason: 'PORT_IN_USE', details: { ports: busy.map((c) => ({ variable: c.variable, port: c.port })) } },
    );
  }
}
