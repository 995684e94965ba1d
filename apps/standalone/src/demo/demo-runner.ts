import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type EvaluationFieldsFragment, type TrafficWeightFieldsFragment } from '@fledge/client';
import { OipClient, type OipTensor, TrafficGenerator, type TrafficReport } from '@fledge/oip-client';
import { catalogEntry, getModel, loadDigits, type ModelName, writeDataset } from '@fledge/trainer';

import { DemoApi } from './demo-api.js';
import { formatWeights, watchRollout } from './rollout-watcher.js';

export interface DemoOptions {
  apiUrl: string;
  apiKey: string;
  /** Inference requests per second sent while the rollouts run. */
  ratePerSecond?: number;
  /** Rows of the digits test split registered as the grading dataset. */
  datasetRows?: number;
  print?: (line: string) => void;
}

export interface DemoSummary {
  model: string;
  endpoint: string;
  traffic: TrafficReport;
  failures: number;
  variants: TrafficWeightFieldsFragment[];
  production: number | null;
  outcomes: Record<string, string>;
  /** Each rollout's page in the web console (the API serves it at its root). */
  consoleLinks: Record<string, string>;
}

const LABELS = Array.from({ length: 10 }, (_, i) => String(i));
const VERSIONS: { name: ModelName; role: string }[] = [
  { name: 'digits-mlp', role: 'v1, the first production model' },
  { name: 'digits-mlp-v2', role: 'v2, a retrained candidate' },
  { name: 'digits-mlp-slow', role: 'v3, deliberately slow' },
];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pct = (x: unknown) => (typeof x === 'number' ? `${(x * 100).toFixed(2)}%` : String(x));

/**
 * The embedded-mode demo, through Fledge's public surfaces only (GraphQL, uploads, OIP): register
 * three digits models and a test set, grade v1 and v2, deploy v1, send steady traffic, promote v2
 * through shadow and canary steps to full traffic, then promote a slow v3 that the rollout takes
 * back out by itself on its latency (slower than the baseline's, by the judge's test and minimum effect).
 */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const print = options.print ?? ((line: string) => console.log(line));
  const step = (n: number, title: string) => print(`\n━━ ${n}. ${title}`);
  const client = new DemoApi(options.apiUrl, options.apiKey);

  // Names unique per run, so the demo can run again on the same data directory.
  let run = 1;
  while (
    (await client.exists('model', `digits-demo-${run}`)) ||
    (await client.exists('endpoint', `digits-demo-${run}`))
  )
    run++;
  const model = `digits-demo-${run}`;
  const endpoint = model;
  const dataset = `digits-test-demo-${run}`;
  print(`Fledge demo #${run} against ${options.apiUrl}: model ${model}, endpoint ${endpoint}, dataset ${dataset}`);

  step(1, 'Train (or load from the cache) three digits models and register them');
  await client.createModel(model, 'Fledge demo: handwritten digits');
  for (const { name, role } of VERSIONS) {
    const trained = await getModel(name);
    const version = await client.registerModelVersion(model, trained.onnx, {
      labels: LABELS,
      trainedAs: name,
      testAccuracy: trained.report.testAccuracy,
    });
    print(
      `  ${model} v${version} ← ${name} (${role}): ${catalogEntry(name).description}; ` +
        `${(trained.onnx.byteLength / 1024).toFixed(0)} KiB, ${trained.fromCache ? 'from the model cache' : `trained in ${((trained.trainingMs ?? 0) / 1000).toFixed(1)} s`}`,
    );
  }

  step(2, 'Register the digits test set as a dataset');
  const datasetRows = options.datasetRows ?? 1000;
  await client.createDataset(dataset, 'digits test split (mnist package)');
  const dir = await mkdtemp(path.join(tmpdir(), 'fledge-demo-'));
  let datasetVersion: number;
  try {
    const file = path.join(dir, `${dataset}.jsonl`);
    await writeDataset('digits', 'test', file, { format: 'jsonl', limit: datasetRows });
    const bytes = await readFile(file);
    datasetVersion = await client.registerDatasetVersion(dataset, bytes, ['pixels']);
    print(
      `  ${dataset} v${datasetVersion}: ${datasetRows} rows (pixels: 784 floats, label), ${(bytes.byteLength / 1e6).toFixed(1)} MB JSONL`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  step(3, 'Grade v1 and v2 on the test set');
  const started = [1, 2].map((version) => client.evaluate({ model, version, dataset, datasetVersion }));
  let evaluations = await Promise.all(started);
  let lastProgress = '';
  while (evaluations.some((e) => e.status === 'PENDING' || e.status === 'RUNNING')) {
    await sleep(500);
    evaluations = await Promise.all(evaluations.map((e) => client.evaluation(e.id)));
    const progress = evaluations
      .map((e, i) => `v${i + 1} ${e.status.toLowerCase()} ${e.rowsDone}/${e.rowsTotal ?? '?'} rows`)
      .join(' · ');
    if (progress !== lastProgress) print(`  ${progress}`);
    lastProgress = progress;
  }
  const failed = evaluations.find((e) => e.status === 'FAILED');
  if (failed) throw new Error(`grading failed: ${failed.error}`);
  for (const [i, e] of evaluations.entries()) print(`  v${i + 1}: accuracy ${pct(accuracyOf(e))}`);
  const comparison = await client.compareEvaluations(evaluations[0].id, evaluations[1].id);
  print('  v2 compared with v1:');
  for (const m of comparison.metrics.filter((m) => ['accuracy', 'macroF1', 'logLoss', 'ece'].includes(m.metric))) {
    print(
      `    ${m.metric.padEnd(9)} ${m.a.toFixed(4)} → ${m.b.toFixed(4)}  (${m.delta >= 0 ? '+' : ''}${m.delta.toFixed(4)}, ${m.improved ? 'better' : 'not better'})`,
    );
  }

  // The gate reuses the evaluations above; the bakes are seconds long so the demo stays short.
  const gate = { dataset: `${dataset}@${datasetVersion}`, minAccuracy: 0.85, maxAccuracyDrop: 0.05 };
  const policy = (overrides: Record<string, unknown> = {}) => ({
    gate,
    shadow: { sampleRate: 1, durationSeconds: 4, minSamples: 20, minAgreement: 0.8 },
    canary: {
      steps: [
        { weight: 25, bakeSeconds: 4 },
        { weight: 50, bakeSeconds: 4 },
      ],
    },
    // The statistical judge: slower only when significant (alpha) and at least 1 ms and 20% of the
    // baseline's median, in two failing windows in a row; server errors within a 1% budget.
    slo: {
      alpha: 0.01,
      minLatencyShiftMs: 1,
      minLatencyShiftRatio: 0.2,
      failureThreshold: 2,
      maxErrorRate: 0.01,
      minSamples: 10,
      windowSeconds: 3,
    },
    checkIntervalSeconds: 1,
    maxSampleWaitSeconds: 30,
    promote: { bakeSeconds: 2 },
    ...overrides,
  });
  const outcomes: Record<string, string> = {};
  const consoleLinks: Record<string, string> = {};
  const watch = async (name: string, id: string) => {
    consoleLinks[name] = client.consoleUrl(`rollouts/${encodeURIComponent(id)}`);
    const view = await watchRollout(client.client, id, print);
    outcomes[name] = view.state;
    return view;
  };

  step(4, `Create the endpoint ${endpoint} and deploy v1 (offline gate → 100%)`);
  await client.createEndpoint(endpoint, 'Fledge demo');
  const deployId = await client.startRollout('deployModelVersion', { endpoint, model, version: 1, policy: policy() });
  const deployed = await watch('v1', deployId);
  if (deployed.state !== 'SUCCEEDED') throw new Error(`deploying v1 ended ${deployed.state}: ${deployed.reason}`);
  const { inferenceUrl, variants } = await client.endpoint(endpoint);
  if (!inferenceUrl) throw new Error(`endpoint ${endpoint} has no inference URL`);
  print(`  ${endpoint} serves ${formatWeights(variants)} at ${inferenceUrl}`);

  const rate = options.ratePerSecond ?? 50;
  step(5, `Send steady traffic: ${rate} requests/s of real digit images (Open Inference Protocol)`);
  const digits = loadDigits().test;
  const rows: OipTensor[][] = Array.from({ length: 200 }, (_, r) => [
    {
      name: 'pixels',
      datatype: 'FP32',
      shape: [1, 784],
      data: Array.from(digits.features.subarray(r * 784, (r + 1) * 784)),
    },
  ]);
  const oip = new OipClient(inferenceUrl.replace(/\/v2\/models\/.*$/, ''));
  const traffic = new TrafficGenerator(oip, { endpoint, ratePerSecond: rate, inputs: (i) => rows[i % rows.length] });
  traffic.start();
  const ticker = setInterval(() => {
    const r = traffic.snapshot();
    print(
      `  · traffic: ${r.sent} sent, ${r.ok} ok, ${TrafficGenerator.failures(r)} failed  ${formatCounts(r.byVariant)}`,
    );
  }, 5000);
  ticker.unref();

  try {
    await sleep(3000);
    step(6, 'Promote v2: offline gate → shadow → canary 25% → canary 50% → 100%, SLOs checked every second');
    await watch('v2', await client.startRollout('promote', { endpoint, model, version: 2, policy: policy() }));

    step(7, 'Promote the slow v3: canary 50%; it is measurably slower than v2 and rolls back by itself');
    await watch(
      'v3',
      await client.startRollout('promote', {
        endpoint,
        model,
        version: 3,
        policy: policy({
          shadow: { enabled: false },
          canary: { steps: [{ weight: 50, bakeSeconds: 30 }] },
        }),
      }),
    );
    await sleep(1000);
  } finally {
    clearInterval(ticker);
    await traffic.stop();
    oip.close();
  }

  const report = traffic.snapshot();
  const final = await client.endpoint(endpoint);
  const production = (await client.aliases(model)).find((a) => a.name === 'production')?.version ?? null;
  const summary: DemoSummary = {
    model,
    endpoint,
    traffic: report,
    failures: TrafficGenerator.failures(report),
    variants: final.variants,
    production,
    outcomes,
    consoleLinks,
  };
  step(8, 'Summary');
  print(`  rollouts:          v1 deploy ${outcomes.v1}, v2 promote ${outcomes.v2}, v3 promote ${outcomes.v3}`);
  print(`  requests sent:     ${report.sent} (${report.ok} ok)`);
  print(
    `  failures:          ${summary.failures}${summary.failures ? ` (by status ${JSON.stringify(report.failed)}, broken ${report.broken}, dropped ${report.dropped}; last: ${report.lastError})` : ''}`,
  );
  print(`  answered by:       ${formatCounts(report.byVariant)}`);
  print(`  endpoint serves:   ${formatWeights(final.variants)}`);
  print(`  production alias:  ${model} → v${production ?? '-'}`);
  print('  in the console:');
  for (const [name, url] of Object.entries(consoleLinks)) print(`    ${name} rollout: ${url}`);
  return summary;
}

function accuracyOf(evaluation: EvaluationFieldsFragment): unknown {
  return (evaluation.metrics as { accuracy?: unknown } | null)?.accuracy;
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([name, n]) => `${name}: ${n}`)
    .join(', ');
}
