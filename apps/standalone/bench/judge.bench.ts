// `npm run bench:judge [trials=10] [ratePerSecond=50] [scenarios=A/A,hostile,slow,faulty]` (needs the
// test stack: `bash scripts/stack up; source .stack/stack.env`). How often the canary judge is right, on the real stack: the API, the
// worker and the serving runtime as in bench:rollout (worker and serving as processes), real ONNX
// models, and steady traffic of real digits from a separate process. Every trial is one promote
// with the default policy (statistical judge, failure threshold, error budget), bakes shortened:
//   A/A       a byte-identical copy of the serving model          → should be promoted
//   hostile   A/A, while 10% of all requests are malformed (4xx)  → should be promoted
//   slow      digits-mlp-slow (same answers, more latency)        → should be rolled back
//   faulty    digits-mlp-faulty (fails on ~7.5% of the digits)    → should be rolled back
// It prints each trial, the confusion table of verdicts, the time from the candidate's first
// traffic to the rollback, and which rule decided.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { isTerminalRolloutState, type PayloadOf, type RolloutEventView } from '@fledge/client';
import { type TrafficReport } from '@fledge/oip-client';
import { createTestDatabase, startFledgeProcesses, uniqueName } from '@fledge/testing';
import { getModel } from '@fledge/trainer';

import { DemoApi, type RolloutRead } from '../src/demo/demo-api.js';

const TRIALS = Number(process.argv[2] ?? 10);
const RATE = Number(process.argv[3] ?? 50);
const HOSTILE_SHARE = 0.1;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// The default policy (judge, alpha, minimum effect, failure threshold, error budget, minSamples),
// with bakes of seconds instead of minutes and a window to match.
const policy = {
  shadow: { durationSeconds: 6 },
  canary: {
    steps: [
      { weight: 25, bakeSeconds: 6 },
      { weight: 50, bakeSeconds: 6 },
    ],
  },
  promote: { bakeSeconds: 6 },
  slo: { windowSeconds: 6 },
  checkIntervalSeconds: 2,
  maxSampleWaitSeconds: 60,
};

const restorePolicy = {
  shadow: { enabled: false },
  canary: { steps: [{ weight: 50, bakeSeconds: 0 }] },
  promote: { bakeSeconds: 0 },
};

type Scenario = 'A/A' | 'hostile' | 'slow' | 'faulty';
const shouldRollBack: Record<Scenario, boolean> = { 'A/A': false, hostile: false, slow: true, faulty: true };
const SCENARIOS = (process.argv[4] ?? 'A/A,hostile,slow,faulty').split(',') as Scenario[];
if (SCENARIOS.some((s) => !(s in shouldRollBack))) throw new Error(`scenarios are ${Object.keys(shouldRollBack)}`);

interface Trial {
  scenario: Scenario;
  candidate: number;
  state: string;
  reason: string | null;
  /** From the candidate's first traffic change to traffic back on the baseline. */
  toRollbackMs: number | null;
  totalMs: number;
  /** The rule that decided a rollback: hard (which check) or the failure streak. */
  decidedBy: string | null;
  windows: { pass: number; fail: number; inconclusive: number };
  traffic: { ok: number; failed: Record<string, number> };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : NaN;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The traffic process: `hostile`/`snapshot`/`stop` on stdin, snapshots on stdout. */
class TrafficProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private waiting: ((report: TrafficReport) => void)[] = [];

  constructor(servingUrl: string, endpoint: string, rate: number) {
    const hooks = pathToFileURL(path.join(root, 'scripts/ts-hooks.mjs')).href;
    this.child = spawn(
      process.execPath,
      [
        '--import',
        hooks,
        path.join(root, 'apps/standalone/bench/judge-traffic.ts'),
        servingUrl,
        endpoint,
        String(rate),
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`traffic: ${chunk}`));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as { type: string; report: TrafficReport };
      if (message.type === 'snapshot') this.waiting.shift()?.(message.report);
    });
  }

  hostile(share: number): void {
    this.child.stdin.write(`hostile ${share}\n`);
  }

  snapshot(command = 'snapshot'): Promise<TrafficReport> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(`${command}\n`);
    });
  }

  async stop(): Promise<TrafficReport> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    const last = await this.snapshot('stop');
    await exited;
    return last;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

/** The SLO windows of a rollout, in order. */
const windowsOf = (events: RolloutEventView[]) =>
  events.flatMap((e) =>
    e.payload.__typename === 'SloWindowCheckedEvent' ? [(e.payload as PayloadOf<'SloWindowCheckedEvent'>).window] : [],
  );

/** The step key of a traffic change. */
const trafficStep = (e: RolloutEventView) =>
  e.payload.__typename === 'TrafficAppliedEvent' ? e.payload.stepKey : null;

function decidedBy(events: RolloutEventView[]): string | null {
  const last = windowsOf(events).at(-1);
  if (!last || last.verdict !== 'FAIL') return null;
  const failed = last.checks.filter((c) => !c.passed).map((c) => c.check);
  return last.hard ? `hard: ${failed.join(', ')}` : `${last.consecutiveFailures} failing windows: ${failed.join(', ')}`;
}

function counts(before: TrafficReport, after: TrafficReport): Trial['traffic'] {
  const failed: Record<string, number> = {};
  for (const [status, n] of Object.entries(after.failed)) {
    const d = n - (before.failed[status] ?? 0);
    if (d > 0) failed[status] = d;
  }
  return { ok: after.ok - before.ok, failed };
}

const testDb = await createTestDatabase();
const fledge = await startFledgeProcesses({ DATABASE_URL: testDb.url, FLEDGE_LOG_LEVEL: 'warn' });
let traffic: TrafficProcess | undefined;
try {
  const client = new DemoApi(`${fledge.api.url}/graphql`, fledge.api.keys.admin);
  const model = uniqueName('judge-digits');
  const endpoint = uniqueName('judge-digits');
  const labels = Array.from({ length: 10 }, (_, i) => String(i));
  await client.createModel(model);
  // v1 and v2 are the same bytes: an A/A promote is a byte-identical copy of what serves.
  const baseline = await getModel('digits-mlp');
  const versions = {
    a: await client.registerModelVersion(model, baseline.onnx, { labels, trainedAs: 'digits-mlp' }),
    b: await client.registerModelVersion(model, baseline.onnx, { labels, trainedAs: 'digits-mlp (copy)' }),
    slow: await client.registerModelVersion(model, (await getModel('digits-mlp-slow')).onnx, { labels }),
    faulty: await client.registerModelVersion(model, (await getModel('digits-mlp-faulty')).onnx, { labels }),
  };
  await client.createEndpoint(endpoint);

  const waitFor = async (id: string, timeoutMs = 600_000): Promise<RolloutRead> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await client.rollout(id);
      if (isTerminalRolloutState(view.state)) return view;
      if (Date.now() > deadline) throw new Error(`rollout ${id} still ${view.state}`);
      await sleep(250);
    }
  };
  const deployed = await waitFor(
    await client.startRollout('deployModelVersion', { endpoint, model, version: versions.a, policy }),
  );
  if (deployed.state !== 'SUCCEEDED') throw new Error(`deploy: ${deployed.state} ${deployed.reason}`);
  let serving = versions.a;

  traffic = new TrafficProcess(fledge.servingUrl, endpoint, RATE);
  await sleep(3000);
  console.log(
    `bench:judge — ${TRIALS} trials per scenario, ${RATE} requests/s from a separate process, policy ${JSON.stringify(policy)}`,
  );

  const trials: Trial[] = [];
  const order = SCENARIOS;
  for (const scenario of order) {
    for (let n = 1; n <= TRIALS; n++) {
      const candidate =
        scenario === 'slow'
          ? versions.slow
          : scenario === 'faulty'
            ? versions.faulty
            : serving === versions.a
              ? versions.b
              : versions.a;
      traffic.hostile(scenario === 'hostile' ? HOSTILE_SHARE : 0);
      const before = await traffic.snapshot();
      const started = performance.now();
      const done = await waitFor(await client.startRollout('promote', { endpoint, model, version: candidate, policy }));
      const totalMs = performance.now() - started;
      const after = await traffic.snapshot();
      traffic.hostile(0);
      const applied = (key: string) => done.events.find((e) => trafficStep(e) === key)?.at;
      const firstTraffic = done.events.find((e) => e.type === 'traffic.applied')?.at;
      const rollback = applied('rollback');
      const windows = { pass: 0, fail: 0, inconclusive: 0 };
      for (const w of windowsOf(done.events)) windows[w.verdict.toLowerCase() as keyof typeof windows] += 1;
      const trial: Trial = {
        scenario,
        candidate,
        state: done.state,
        reason: done.reason,
        toRollbackMs: rollback && firstTraffic ? Date.parse(rollback) - Date.parse(firstTraffic) : null,
        totalMs,
        decidedBy: done.state === 'ROLLED_BACK' ? decidedBy(done.events) : null,
        windows,
        traffic: counts(before, after),
      };
      trials.push(trial);
      if (done.state === 'SUCCEEDED') serving = candidate;
      if (serving === versions.slow || serving === versions.faulty) {
        // A miss: the good model goes back (not a trial, no bakes) before the next trial.
        const restored = await waitFor(
          await client.startRollout('promote', { endpoint, model, version: versions.a, policy: restorePolicy }),
        );
        if (restored.state !== 'SUCCEEDED') throw new Error(`restoring v${versions.a}: ${restored.reason}`);
        serving = versions.a;
      }
      console.log(
        `  ${scenario.padEnd(7)} #${String(n).padStart(2)} v${candidate}: ${done.state.padEnd(11)} ${seconds(totalMs).padStart(7)}` +
          `  windows ${windows.pass}✓ ${windows.fail}✗ ${windows.inconclusive}?` +
          `  traffic ${trial.traffic.ok} ok ${JSON.stringify(trial.traffic.failed)}` +
          (trial.state === 'ROLLED_BACK'
            ? `  rollback ${seconds(trial.toRollbackMs ?? NaN)} after first traffic (${trial.decidedBy ?? trial.reason})`
            : trial.state === 'SUCCEEDED'
              ? ''
              : `  ${trial.reason}`),
      );
    }
  }
  const final = await traffic.stop();
  traffic = undefined;

  console.log('\nConfusion table (rows: what the candidate was; columns: the verdict)');
  const header = ['candidate', 'trials', 'promoted', 'rolled back', 'other', 'goal', 'met'];
  const rows = order.map((scenario) => {
    const of = trials.filter((t) => t.scenario === scenario);
    const promoted = of.filter((t) => t.state === 'SUCCEEDED').length;
    const rolledBack = of.filter((t) => t.state === 'ROLLED_BACK').length;
    const other = of.length - promoted - rolledBack;
    const bad = shouldRollBack[scenario];
    const goal = bad ? `rolled back ${of.length}/${of.length}` : `rolled back 0/${of.length}`;
    const met = bad ? rolledBack === of.length : rolledBack === 0 && other === 0;
    return [
      scenario,
      String(of.length),
      String(promoted),
      String(rolledBack),
      String(other),
      goal,
      met ? 'MET' : 'MISSED',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) console.log(`  ${row.map((c, i) => c.padEnd(widths[i])).join('  ')}`);

  console.log("\nTime from the candidate's first traffic to traffic back on the baseline");
  for (const scenario of order.filter((s) => shouldRollBack[s])) {
    const times = trials.filter((t) => t.scenario === scenario && t.toRollbackMs !== null).map((t) => t.toRollbackMs!);
    const rules = new Map<string, number>();
    for (const t of trials.filter((x) => x.scenario === scenario && x.decidedBy))
      rules.set(t.decidedBy!, (rules.get(t.decidedBy!) ?? 0) + 1);
    console.log(
      `  ${scenario.padEnd(7)} p50 ${seconds(quantile(times, 0.5))}  max ${seconds(Math.max(...times))}  decided by ${[...rules].map(([r, n]) => `${r} ×${n}`).join('; ') || '-'}`,
    );
  }
  const promotedMs = trials.filter((t) => t.state === 'SUCCEEDED').map((t) => t.totalMs);
  console.log(`  (a promotion took p50 ${seconds(quantile(promotedMs, 0.5))} with these bakes)`);
  console.log(
    `\nTraffic: ${final.sent} sent, ${final.ok} ok, failed by status ${JSON.stringify(final.failed)}, broken ${final.broken}, dropped ${final.dropped}`,
  );
  console.log('One shared machine: figures include its load.');
} finally {
  traffic?.kill();
  await fledge.close();
  await testDb.drop();
}
