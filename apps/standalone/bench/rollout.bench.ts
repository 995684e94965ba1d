// `npm run bench:rollout` (needs the test stack: `bash scripts/stack up; source .stack/stack.env`).
// Fledge as separate processes (api, worker, serving) on the stack's PostgreSQL, Temporal and S3:
//  (a) rollback latency: an Alertmanager alert POSTed to the API's webhook → the serving runtime
//      routes 100% to the baseline, observed at the runtime (its admin API polled every few ms,
//      and its own appliedAt); 20 trials, each a fresh canary at 50% with a long bake;
//  (b) rollout overhead: promote → SUCCEEDED with zero bake times and evaluations that exist
//      already (the gate reuses them), with where the time goes from the rollout's event times.
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { createTestDatabase, startFledgeProcesses, uniqueName } from '@fledge/testing';
import { getModel, writeDataset } from '@fledge/trainer';

import { DemoApi, type RolloutRead } from '../src/demo/demo-api.js';

const ROLLBACK_TRIALS = Number(process.argv[2] ?? 20);
const OVERHEAD_TRIALS = Number(process.argv[3] ?? 5);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

const testDb = await createTestDatabase();
const fledge = await startFledgeProcesses({ DATABASE_URL: testDb.url, FLEDGE_LOG_LEVEL: 'warn' });
try {
  const client = new DemoApi(`${fledge.api.url}/graphql`, fledge.api.keys.admin);
  const model = uniqueName('bench-digits');
  const endpoint = uniqueName('bench-digits');
  const dataset = uniqueName('bench-digits-test');
  const labels = Array.from({ length: 10 }, (_, i) => String(i));

  await client.createModel(model);
  for (const name of ['digits-mlp', 'digits-mlp-v2'] as const)
    await client.registerModelVersion(model, (await getModel(name)).onnx, { labels });
  await client.createDataset(dataset);
  const file = path.join(tmpdir(), `${dataset}.jsonl`);
  await writeDataset('digits', 'test', file, { format: 'jsonl', limit: 400 });
  await client.registerDatasetVersion(dataset, await readFile(file), ['pixels']);
  await rm(file, { force: true });

  // Grade both once: every gate below reuses these evaluations.
  for (const version of [1, 2]) {
    let evaluation = await client.evaluate({ model, version, dataset, datasetVersion: 1 });
    while (evaluation.status === 'PENDING' || evaluation.status === 'RUNNING') {
      await sleep(200);
      evaluation = await client.evaluation(evaluation.id);
    }
    if (evaluation.status !== 'SUCCEEDED') throw new Error(`grading v${version}: ${evaluation.error}`);
  }
  await client.createEndpoint(endpoint);

  const gate = { dataset: `${dataset}@1`, minAccuracy: 0.85, maxAccuracyDrop: 0.05 };
  const zeroBake = {
    gate,
    shadow: { enabled: false },
    canary: { steps: [{ weight: 50, bakeSeconds: 0 }] },
    slo: { minSamples: 0, windowSeconds: 1 },
    checkIntervalSeconds: 1,
    maxSampleWaitSeconds: 0,
    promote: { bakeSeconds: 0 },
  };
  const waitFor = async (id: string, until: (r: RolloutRead) => boolean, pollMs = 20, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await client.rollout(id);
      if (until(view) || ['SUCCEEDED', 'REJECTED', 'ROLLED_BACK', 'ABORTED', 'FAILED'].includes(view.state))
        return view;
      if (Date.now() > deadline) throw new Error(`rollout ${id} still ${view.state}`);
      await sleep(pollMs);
    }
  };
  const deployed = await waitFor(
    await client.startRollout('deployModelVersion', { endpoint, model, version: 1, policy: zeroBake }),
    () => false,
  );
  if (deployed.state !== 'SUCCEEDED') throw new Error(`deploy: ${deployed.state} ${deployed.reason}`);

  const admin = async () => {
    const res = await fetch(`${fledge.servingAdminUrl}/admin/endpoints/${endpoint}`, {
      headers: { authorization: `Bearer ${fledge.servingAdminToken}` },
    });
    return (await res.json()) as {
      appliedAt: string;
      variants: { variantName: string; weight: number; role?: string }[];
    };
  };
  const baseline = `${model}-v1`;
  const servesOnlyBaseline = (d: Awaited<ReturnType<typeof admin>>) =>
    d.variants.every((v) => (v.variantName === baseline ? v.weight === 100 : v.weight === 0));

  // ── (a) rollback latency ─────────────────────────────────────────────────────────────────────
  console.log(`(a) rollback latency: ${ROLLBACK_TRIALS} trials (alarm → runtime routes 100% to ${baseline})`);
  const observed: number[] = [];
  const applied: number[] = [];
  const webhook: number[] = [];
  for (let trial = 1; trial <= ROLLBACK_TRIALS; trial++) {
    const id = await client.startRollout('promote', {
      endpoint,
      model,
      version: 2,
      policy: { ...zeroBake, canary: { steps: [{ weight: 50, bakeSeconds: 600 }] } },
    });
    await waitFor(id, (r) => r.state === 'CANARY', 50);
    for (let d = await admin(); servesOnlyBaseline(d); d = await admin()) await sleep(5);
    const sent = Date.now();
    const t0 = performance.now();
    const posted = fetch(`${fledge.api.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fledge.api.keys.alerts}` },
      body: JSON.stringify({
        version: '4',
        status: 'firing',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'FledgeBenchAlarm', endpoint },
            annotations: {},
            fingerprint: `bench-${trial}`,
          },
        ],
      }),
    }).then(async (res) => {
      if (res.status !== 200) throw new Error(`webhook: ${res.status} ${await res.text()}`);
      return performance.now() - t0;
    });
    let state = await admin();
    while (!servesOnlyBaseline(state)) {
      if (performance.now() - t0 > 30_000) {
        const view = await client.rollout(id);
        throw new Error(
          `no rollback within 30 s: ${JSON.stringify({ webhook: await posted.catch(String), state: view.state, events: view.events.slice(-4), runtime: state.variants.map((v) => [v.variantName, v.weight]) })}`,
        );
      }
      await sleep(2);
      state = await admin();
    }
    observed.push(performance.now() - t0);
    applied.push(Date.parse(state.appliedAt) - sent);
    webhook.push(await posted);
    const done = await waitFor(id, () => false, 50);
    if (done.state !== 'ROLLED_BACK') throw new Error(`trial ${trial}: ${done.state} ${done.reason}`);
    process.stdout.write(`  trial ${String(trial).padStart(2)}: ${ms(observed.at(-1)!)}\n`);
  }

  // ── (b) rollout overhead ─────────────────────────────────────────────────────────────────────
  console.log(
    `\n(b) rollout overhead: ${OVERHEAD_TRIALS} trials (promote → SUCCEEDED, zero bakes, evaluations reused)`,
  );
  const totals: number[] = [];
  const phases = new Map<string, number[]>();
  let serving = 1;
  for (let trial = 1; trial <= OVERHEAD_TRIALS; trial++) {
    const candidate = serving === 1 ? 2 : 1;
    const t0 = performance.now();
    const id = await client.startRollout('promote', { endpoint, model, version: candidate, policy: zeroBake });
    const mutationMs = performance.now() - t0;
    const done = await waitFor(id, () => false, 10);
    const total = performance.now() - t0;
    if (done.state !== 'SUCCEEDED') throw new Error(`overhead trial ${trial}: ${done.state} ${done.reason}`);
    serving = candidate;
    totals.push(total);
    // Where the time goes: the promote mutation, then the gap before each recorded event.
    const add = (name: string, value: number) => phases.set(name, [...(phases.get(name) ?? []), value]);
    add('promote mutation (validate, start workflow)', mutationMs);
    const events = done.events;
    for (let i = 1; i < events.length; i++) {
      const label = `${events[i - 1].type}${stepOf(events[i - 1])} → ${events[i].type}${stepOf(events[i])}`;
      add(label, Date.parse(events[i].at) - Date.parse(events[i - 1].at));
    }
    add('first → last event', Date.parse(events.at(-1)!.at) - Date.parse(events[0].at));
    process.stdout.write(`  trial ${trial}: ${ms(total)} (v${candidate})\n`);
  }

  const table: [string, string, string, string][] = [
    [
      'rollback: alarm → runtime 100% baseline (polled)',
      `p50 ${ms(quantile(observed, 0.5))}  p99 ${ms(quantile(observed, 0.99))}  max ${ms(Math.max(...observed))}`,
      '≤ 500 ms p99',
      ratio(quantile(observed, 0.99), 500),
    ],
    [
      'rollback: alarm → runtime appliedAt',
      `p50 ${ms(quantile(applied, 0.5))}  p99 ${ms(quantile(applied, 0.99))}  max ${ms(Math.max(...applied))}`,
      '',
      '',
    ],
    [
      'rollback: webhook response time',
      `p50 ${ms(quantile(webhook, 0.5))}  p99 ${ms(quantile(webhook, 0.99))}`,
      '',
      '',
    ],
    [
      'overhead: promote → SUCCEEDED (observed)',
      `p50 ${ms(quantile(totals, 0.5))}  max ${ms(Math.max(...totals))}`,
      '≤ 3000 ms',
      ratio(Math.max(...totals), 3000),
    ],
  ];
  console.log('\nResults (one shared machine: figures include its load)');
  const w = [Math.max(...table.map((r) => r[0].length)), Math.max(...table.map((r) => r[1].length)), 14];
  for (const [a, b, c, d] of [['measure', 'figure', 'goal', 'figure/goal'] as const, ...table])
    console.log(`  ${a.padEnd(w[0])}  ${b.padEnd(w[1])}  ${c.padEnd(w[2])}  ${d}`);
  console.log('\n  where the time of a zero-bake promotion goes (median over trials, from event timestamps):');
  for (const [name, values] of phases) console.log(`    ${ms(quantile(values, 0.5)).padStart(7)}  ${name}`);
} finally {
  await fledge.close();
  await testDb.drop();
}

function stepOf(event: RolloutRead['events'][number]): string {
  const payload = event.payload as { stepKey?: unknown; state?: unknown };
  const key = payload.stepKey ?? payload.state;
  return typeof key === 'string' ? `(${key})` : '';
}

function ratio(value: number, goal: number): string {
  return `${(value / goal).toFixed(2)}× ${value <= goal ? 'MET' : 'MISSED'}`;
}
