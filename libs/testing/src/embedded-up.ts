import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort } from './test-api.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface EmbeddedPorts {
  api: number;
  serving: number;
  servingAdmin: number;
  temporal: number;
  temporalUi: number;
}

export async function embeddedPorts(): Promise<EmbeddedPorts> {
  return {
    api: await freePort(),
    serving: await freePort(),
    servingAdmin: await freePort(),
    temporal: await freePort(),
    temporalUi: await freePort(),
  };
}

export interface EmbeddedUpOptions {
  /** FLEDGE_HOME: data, log and admin key. Every process of this run carries it in its environment. */
  home: string;
  ports: EmbeddedPorts;
  /** Default `--no-demo`. */
  args?: string[];
  readyTimeoutMs?: number;
}

export interface EmbeddedUp {
  readonly launcherPid: number;
  readonly apiUrl: string;
  readonly ports: EmbeddedPorts;
  /** What scripts/up printed (stdout and stderr). */
  output(): string;
  /** The log Fledge writes under FLEDGE_HOME. */
  log(): string;
  adminKey(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(signal: NodeJS.Signals): void;
}

/**
 * Runs `bash scripts/up` as a user would, in the background, and resolves once it prints that
 * Fledge is up. The environment is minimal: PATH, HOME, FLEDGE_HOME and the five ports.
 */
export async function startEmbeddedUp(options: EmbeddedUpOptions): Promise<EmbeddedUp> {
  const { ports } = options;
  // Tied to this process like scripts/up ties Fledge (util-linux setpriv sets the kernel's
  // parent-death signal, then execs bash): a test or bench killed outright, SIGKILL included,
  // still stops the launcher, which stops Fledge and its Temporal dev server in order.
  const up = ['bash', 'scripts/up', ...(options.args ?? ['--no-demo'])];
  const [command, ...args] = existsSync('/usr/bin/setpriv')
    ? ['/usr/bin/setpriv', '--pdeathsig=TERM', '--', ...up]
    : up;
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      FLEDGE_HOME: options.home,
      FLEDGE_API_PORT: String(ports.api),
      FLEDGE_SERVING_PORT: String(ports.serving),
      FLEDGE_SERVING_ADMIN_PORT: String(ports.servingAdmin),
      FLEDGE_TEMPORAL_PORT: String(ports.temporal),
      FLEDGE_TEMPORAL_UI_PORT: String(ports.temporalUi),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const collect = (data: Buffer) => {
      output += data.toString();
      if (output.includes('Fledge is up')) resolve();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then(({ code, signal }) =>
      reject(new Error(`scripts/up exited (${signal ?? code}) before Fledge was up:\n${output}`)),
    );
  });
  const timeoutMs = options.readyTimeoutMs ?? 180_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Fledge was not up within ${timeoutMs} ms:\n${output}`)), timeoutMs);
  });
  try {
    await Promise.race([ready, timeout]);
  } catch (error) {
    child.kill('SIGTERM');
    await exited;
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return {
    launcherPid: child.pid!,
    apiUrl: `http://127.0.0.1:${ports.api}/graphql`,
    ports,
    output: () => output,
    log: () => readFileSync(path.join(options.home, 'logs', 'fledge.log'), 'utf8'),
    adminKey: () => readFileSync(path.join(options.home, 'admin-key'), 'utf8').trim(),
    exited,
    signal: (signal) => child.kill(signal),
  };
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The command line. */
  argv: string[];
  rssKiB: number;
}

async function readProcess(pid: number): Promise<ProcessInfo | undefined> {
  try {
    const [stat, cmdline, status] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
      readFile(`/proc/${pid}/status`, 'utf8'),
    ]);
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined;
    return {
      pid,
      ppid: Number(fields[1]),
      argv: cmdline.split('\0').filter(Boolean),
      rssKiB: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    };
  } catch {
    return undefined;
  }
}

async function allProcesses(): Promise<ProcessInfo[]> {
  const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e)).map(Number);
  return (await Promise.all(pids.map(readProcess))).filter((p): p is ProcessInfo => p !== undefined);
}

/** A process and all its descendants, the root first. */
export async function processTree(rootPid: number): Promise<ProcessInfo[]> {
  const all = await allProcesses();
  const tree = all.filter((p) => p.pid === rootPid);
  for (let i = 0; i < tree.length; i++) tree.push(...all.filter((p) => p.ppid === tree[i].pid));
  return tree;
}

/**
 * Live processes whose environment holds `NAME=value` (children inherit it, so this finds every
 * process a run started, re-parented orphans included).
 */
export async function processesWithEnv(name: string, value: string): Promise<ProcessInfo[]> {
  const entry = `${name}=${value}`;
  const found: ProcessInfo[] = [];
  for (const p of await allProcesses()) {
    if (p.pid === process.pid) continue;
    try {
      if ((await readFile(`/proc/${p.pid}/environ`, 'utf8')).split('\0').includes(entry)) found.push(p);
    } catch {
      // exited meanwhile, or not readable
    }
  }
  return found;
}
