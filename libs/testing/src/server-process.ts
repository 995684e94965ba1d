import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ServerProcessOptions {
  /** Shown in errors and log lines. */
  name: string;
  /** Entry point, relative to the repository root (run from source with the repo's TypeScript hooks). */
  entry: string;
  env: Record<string, string>;
  /** Resolves true once the server answers (it may read the process's logs so far). */
  ready: (server: ServerProcess) => Promise<boolean>;
  readyTimeoutMs?: number;
}

/**
 * A Fledge server running as a child process (the way users run it), started from source. It can
 * be killed (any signal, e.g. SIGKILL for crash tests) and started again with the same options.
 */
export class ServerProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  private output = '';
  private runStart = 0;

  constructor(private readonly options: ServerProcessOptions) {}

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const server = new ServerProcess(options);
    await server.start();
    return server;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Everything the process printed so far (all runs), for failure messages. */
  logs(): string {
    return this.output;
  }

  /** What the current run printed (readiness checks look here). */
  runLogs(): string {
    return this.output.slice(this.runStart);
  }

  async start(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      throw new Error(`${this.options.name} is already running`);
    }
    this.runStart = this.output.length;
    // FLEDGE_TEST_SERVER_LOGS=1 shows the servers' own log lines while debugging a test.
    const echo = process.env.FLEDGE_TEST_SERVER_LOGS === '1';
    // Not through scripts/run.mjs: its wrapper process cannot pass SIGKILL on, and crash tests must
    // really kill the server.
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', '--import', './scripts/ts-hooks.mjs', this.options.entry],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const collect = (d: Buffer) => {
      this.output += d.toString();
      if (echo) process.stderr.write(`[${this.options.name}] ${d.toString()}`);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));

    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 90_000);
    for (;;) {
      const code = await Promise.race([this.exited, new Promise((r) => setTimeout(r, 200, 'waiting'))]);
      if (code !== 'waiting') {
        throw new Error(`${this.options.name} exited with code ${String(code)} before it was ready:\n${this.output}`);
      }
      if (await this.options.ready(this).catch(() => false)) return;
      if (Date.now() > deadline) {
        await this.kill('SIGKILL');
        throw new Error(
          `${this.options.name} was not ready within ${this.options.readyTimeoutMs ?? 90_000} ms:\n${this.output}`,
        );
      }
    }
  }

  /** Sends a signal and waits for the process to exit (SIGTERM escalates to SIGKILL after 10 s). */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** True when `url` answers with a 2xx status. */
export async function answers(url: string, init?: RequestInit): Promise<boolean> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}
