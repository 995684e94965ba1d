// `npm run bench:footprint`: resident memory (RSS) of every process `scripts/up --no-demo` runs,
// idle with an empty registry and with 3 endpoints loaded, in the same run:
//  (a) from source (`--from-source`: TypeScript compiled in the process), first start;
//  (b) built (`npm run build` first), first start on a new data dir, then a restart of it;
//  (c) built, the restart with 3 endpoints each serving a different model.
// "Idle" is after the API answers and RSS has settled (two samples 3 s apart within 1 MiB). Needs
// no test stack: embedded mode brings its own Temporal dev server; ports are picked free.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { isTerminalRolloutState } from '@fledge/client';
import { embeddedPorts, processTree, startEmbeddedUp, type EmbeddedUp, type ProcessInfo } from '@fledge/testing';
import { getModel } from '@fledge/trainer';

import { DemoApi } from '../src/demo/demo-api.js';

const GOAL_MIB = 450;
const mib = (kib: number) => kib / 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Part = 'launcher' | 'Fledge' | 'Temporal' | 'other';
type Sample = Record<Part, number> & { total: number };

function partOf(p: ProcessInfo, launcherPid: number): Part {
  if (p.pid === launcherPid) return 'launcher';
  if (p.argv.some((a) => a.includes('standalone/dist/main') || a.includes('standalone/src/main'))) return 'Fledge';
  if (p.argv.includes('start-dev')) return 'Temporal';
  return 'other';
}

async function sample(up: EmbeddedUp): Promise<Sample> {
  const s: Sample = { launcher: 0, Fledge: 0, Temporal: 0, other: 0, total: 0 };
  for (const p of await processTree(up.launcherPid)) {
    s[partOf(p, up.launcherPid)] += p.rssKiB;
    s.total += p.rssKiB;
  }
  return s;
}

/** Samples every 3 s until the total moves by less than 1 MiB (at most 60 s). */
async function settled(up: EmbeddedUp): Promise<Sample> {
  let previous = await sample(up);
  for (let i = 0; i < 20; i++) {
    await sleep(3000);
    const current = await sample(up);
    if (Math.abs(current.total - previous.total) < 1024) return current;
    previous = current;
  }
  return previous;
}

// Every run still up. However the bench ends (a failed step, Ctrl-C, SIGTERM), it stops them
// before it removes their folders: a launcher left behind would keep its Fledge and Temporal dev
// server running on a deleted data dir. (A SIGKILLed bench cannot clean up: startEmbeddedUp ties
// each launcher to this process with the kernel's parent-death signal.)
const running = new Set<EmbeddedUp>();

async function start(options: Parameters<typeof startEmbeddedUp>[0]): Promise<EmbeddedUp> {
  const up = await startEmbeddedUp(options);
  running.add(up);
  void up.exited.then(() => running.delete(up));
  return up;
}

async function stop(up: EmbeddedUp): Promise<void> {
  up.signal('SIGINT');
  const { code } = await up.exited;
  if (code !== 0) throw new Error(`scripts/up exited ${code} on Ctrl-C:\n${up.output()}`);
}

/** Stops what is still running: Ctrl-C as a user would, SIGKILL if it has not ended in 60 s. */
async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(async (up) => {
      up.signal('SIGINT');
      const timer = setTimeout(() => up.signal('SIGKILL'), 60_000);
      await up.exited;
      clearTimeout(timer);
    }),
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}: stopping the runs still up`);
    void stopAll()
      .then(() => Promise.all(homes.map((home) => rm(home, { recursive: true, force: true }))))
      .finally(() => process.exit(130));
  });
}

async function loadThreeEndpoints(up: EmbeddedUp): Promise<void> {
  const client = new DemoApi(up.apiUrl, up.adminKey());
  const model = 'footprint-digits';
  await client.createModel(model);
  const labels = Array.from({ length: 10 }, (_, i) => String(i));
  const names = ['digits-mlp', 'digits-mlp-v2', 'digits-cnn'] as const;
  for (const [i, name] of names.entries()) {
    const version = await client.registerModelVersion(model, (await getModel(name)).onnx, { labels });
    const endpoint = `footprint-${i + 1}`;
    await client.createEndpoint(endpoint);
    const id = await client.startRollout('deployModelVersion', {
      endpoint,
      model,
      version,
      policy: { promote: { bakeSeconds: 0 } },
    });
    for (;;) {
      const rollout = await client.rollout(id);
      if (isTerminalRolloutState(rollout.state)) {
        if (rollout.state !== 'SUCCEEDED') throw new Error(`deploy to ${endpoint}: ${rollout.state} ${rollout.reason}`);
        break;
      }
      await sleep(250);
    }
  }
}

const rows: [string, Sample][] = [];
const homes: string[] = [];
const newHome = async () => {
  const home = await mkdtemp(path.join(tmpdir(), 'fledge-footprint-'));
  homes.push(home);
  return home;
};

try {
  const ports = await embeddedPorts();
  // Trained models come from the per-machine cache (trained once, about 10 s).
  for (const name of ['digits-mlp', 'digits-mlp-v2', 'digits-cnn'] as const) await getModel(name);

  const source = await start({ home: await newHome(), ports, args: ['--no-demo', '--from-source'] });
  rows.push(['from source, first start, idle', await settled(source)]);
  await stop(source);

  const home = await newHome();
  const first = await start({ home, ports });
  if (!first.output().includes('starting Fledge, built')) {
    throw new Error('scripts/up did not start the build: run `npm run build` first (sources are newer)');
  }
  rows.push(['built, first start, idle', await settled(first)]);
  await stop(first);

  const restart = await start({ home, ports });
  rows.push(['built, restart, idle', await settled(restart)]);
  await loadThreeEndpoints(restart);
  rows.push(['built, restart, 3 endpoints loaded', await settled(restart)]);
  await stop(restart);
} finally {
  await stopAll();
  for (const home of homes) await rm(home, { recursive: true, force: true });
}

const parts: Part[] = ['launcher', 'Fledge', 'Temporal', 'other'];
const width = Math.max(...rows.map(([label]) => label.length));
console.log(`\nRSS in MiB per process of scripts/up --no-demo (empty registry unless said otherwise)\n`);
console.log(`${''.padEnd(width)}  ${[...parts, 'total'].map((p) => p.padStart(9)).join('')}`);
for (const [label, s] of rows) {
  console.log(
    `${label.padEnd(width)}  ${[...parts, 'total' as const].map((p) => mib(s[p]).toFixed(1).padStart(9)).join('')}`,
  );
}
const [fromSource, firstStart, restartIdle] = rows.map(([, s]) => mib(s.total));
console.log(
  `\nbuilt vs from source (first start): ${(firstStart / fromSource).toFixed(2)}x; ` +
    `goal ≤ ${GOAL_MIB} MiB idle, empty registry: first start ${firstStart.toFixed(0)} MiB, restart ${restartIdle.toFixed(0)} MiB` +
    ` → ${Math.max(firstStart, restartIdle) <= GOAL_MIB ? 'met' : 'NOT met'}`,
);
