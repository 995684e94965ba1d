import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateModelDocument, FledgeClient, ModelsPageDocument, ModelWithVersionsDocument } from '@fledge/client';
import {
  embeddedPorts,
  processesWithEnv,
  processTree,
  startEmbeddedUp,
  type EmbeddedPorts,
  type EmbeddedUp,
} from '@fledge/testing';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// `scripts/up` (embedded mode) on every way it can end: each run must leave no process behind and
// the next run must come up on the same ports with the same data (registry and Temporal).
describe('scripts/up restarts cleanly after any exit', () => {
  let home: string;
  let ports: EmbeddedPorts;
  const started: EmbeddedUp[] = [];

  /** Every process this test's runs started carries FLEDGE_HOME=<home> in its environment. */
  const ours = () => processesWithEnv('FLEDGE_HOME', home);
  const noneOfOursWithin = async (ms: number) => {
    const deadline = Date.now() + ms;
    let left = await ours();
    // The kernel delivers the parent-death signal at once, but each process then shuts down in
    // order (Fledge stops its servers, Temporal flushes): wait for that, bounded.
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = await ours();
    }
    return left.map((p) => `${p.pid} ${p.argv.join(' ')}`);
  };

  const up = async () => {
    const run = await startEmbeddedUp({ home, ports });
    started.push(run);
    return run;
  };
  const client = (run: EmbeddedUp) => new FledgeClient({ apiUrl: run.apiUrl, apiKey: run.adminKey() });
  const survivor = async (run: EmbeddedUp) =>
    (await client(run).request(ModelWithVersionsDocument, { name: 'survivor', first: 1 })).model?.name;
  const parts = async (run: EmbeddedUp) => {
    const tree = await processTree(run.launcherPid);
    return {
      fledge: tree.find((p) => p.argv.some((a) => /standalone\/(dist|src)\/main\./.test(a)))!,
      temporal: tree.find((p) => p.argv.includes('start-dev'))!,
    };
  };
  const temporalClient = async () => {
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    return new Client({ connection });
  };

  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'fledge-up-restart-'));
    ports = await embeddedPorts();
  });

  afterAll(async () => {
    for (const run of started) run.signal('SIGKILL');
    for (const p of await ours()) process.kill(p.pid, 'SIGKILL');
    await rm(home, { recursive: true, force: true });
  });

  it('comes back on the same ports with the same data after the Fledge process is killed with SIGKILL', async () => {
    const first = await up();
    await client(first).request(CreateModelDocument, {
      input: { name: 'survivor', task: 'CLASSIFICATION', modality: 'IMAGE' },
    });
    // A workflow nobody works on: it must still be there, running, after the restart.
    const temporal = await temporalClient();
    await temporal.workflow.start('notRegistered', { taskQueue: 'nobody-polls-this', workflowId: 'survives-restart' });
    await temporal.connection.close();

    const { fledge, temporal: server } = await parts(first);
    process.kill(fledge.pid, 'SIGKILL');
    // The launcher notices and says so; the Temporal dev server goes with its parent.
    const exit = await first.exited;
    expect(exit.code).toBe(1);
    expect(first.output()).toContain('Fledge exited');
    expect(await noneOfOursWithin(20_000)).toEqual([]);
    expect(server.pid).toBeGreaterThan(0);

    const second = await up();
    expect(second.apiUrl).toBe(first.apiUrl);
    expect(await survivor(second)).toBe('survivor');
    const again = await temporalClient();
    const described = await again.workflow.getHandle('survives-restart').describe();
    expect(described.status.name).toBe('RUNNING');
    await again.connection.close();

    second.signal('SIGKILL');
    expect((await second.exited).signal).toBe('SIGKILL');
    expect(await noneOfOursWithin(30_000)).toEqual([]);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('stops everything on %s to the launcher (exit 0)', async (signal) => {
    const run = await up();
    await client(run).request(ModelsPageDocument, { first: 1 });
    run.signal(signal);
    expect((await run.exited).code).toBe(0);
    expect(run.output()).toContain('up: stopped');
    expect(await noneOfOursWithin(5_000)).toEqual([]);
  });

  it('stops everything when the process that ran scripts/up is killed with SIGKILL (a test or bench killed outright)', async () => {
    // A process of its own runs scripts/up through startEmbeddedUp, as a bench does, then dies.
    const script = `
      const { startEmbeddedUp } = await import('@fledge/testing');
      const run = await startEmbeddedUp({ home: ${JSON.stringify(home)}, ports: ${JSON.stringify(ports)} });
      console.log('launcher ' + run.launcherPid);
      setInterval(() => undefined, 1000);`;
    const runner = spawn(
      process.execPath,
      ['--import', './scripts/ts-hooks.mjs', '--input-type=module', '-e', script],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const runnerExited = new Promise<NodeJS.Signals | null>((resolve) =>
      runner.once('exit', (_, signal) => resolve(signal)),
    );
    const launcherPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      runner.stdout.on('data', (data: Buffer) => {
        out += data.toString();
        const match = /launcher (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      void runnerExited.then((signal) =>
        reject(new Error(`the runner exited (${signal}) before Fledge was up: ${out}`)),
      );
    });
    expect((await processTree(launcherPid)).some((p) => p.argv.includes('start-dev'))).toBe(true);

    runner.kill('SIGKILL');
    expect(await runnerExited).toBe('SIGKILL');
    expect(await noneOfOursWithin(30_000)).toEqual([]);
  });

  it('stops a Temporal dev server an older run left on the data dir, then starts on its ports', async () => {
    // What an older Fledge left behind when it was killed: a dev server on the data dir's database,
    // in a session of its own, holding the Temporal ports.
    const orphan = spawn(
      path.join(repoRoot, '.tools/venv/bin/temporal'),
      [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(ports.temporal),
        '--ui-port',
        String(ports.temporalUi),
        '--db-filename',
        path.join(home, 'data', 'temporal.db'),
        '--log-level',
        'error',
      ],
      { detached: true, stdio: 'ignore', env: { ...process.env, FLEDGE_HOME: home } },
    );
    orphan.unref();
    const orphanExited = new Promise((resolve) => orphan.once('exit', resolve));
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}`, connectTimeout: 60_000 });
    await connection.close();

    const run = await up();
    await orphanExited;
    expect(run.log()).toContain('stopping a Temporal dev server left running by an earlier run');
    expect((await parts(run)).temporal.pid).not.toBe(orphan.pid);
    expect(await survivor(run)).toBe('survivor');

    run.signal('SIGTERM');
    expect((await run.exited).code).toBe(0);
    expect(await noneOfOursWithin(5_000)).toEqual([]);
  });

  it('refuses a second Fledge on the same data dir, naming the running one', async () => {
    const run = await up();
    const { fledge } = await parts(run);
    const otherPorts = await embeddedPorts();
    await expect(startEmbeddedUp({ home, ports: otherPorts })).rejects.toThrow(
      `Fledge is already running on ${path.join(home, 'data')} (pid ${fledge.pid})`,
    );
    run.signal('SIGTERM');
    expect((await run.exited).code).toBe(0);
    expect(await noneOfOursWithin(5_000)).toEqual([]);
  });
});
