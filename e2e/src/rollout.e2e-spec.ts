import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ModelAliasesDocument } from '@fledge/client';
import { OipClient, TrafficGenerator, type OipTensor } from '@fledge/oip-client';
import { startFledgeProcesses, uniqueName, type FledgeProcesses } from '@fledge/testing';
import { getModel, loadDigits, writeDataset } from '@fledge/trainer';

import { FledgeClient } from './support/fledge-client.js';

// The digits models of the demo, served by the real runtime and promoted by the real workflow,
// with the api, worker and serving runtime as separate processes. Bakes are seconds long: this
// runs on the Temporal dev server in real time.
describe('rollouts end to end (api, worker, serving as processes; Temporal, PostgreSQL, S3)', () => {
  let fledge: FledgeProcesses;
  let client: FledgeClient;
  let oip: OipClient;
  let traffic: TrafficGenerator;
  const model = uniqueName('digits');
  const dataset = uniqueName('digits-test');
  const endpoint = uniqueName('digits');
  let gate: Record<string, unknown>;

  const labels = Array.from({ length: 10 }, (_, i) => String(i));
  const fastPolicy = (overrides: Record<string, unknown> = {}) => ({
    gate,
    shadow: { sampleRate: 1, durationSeconds: 3, minSamples: 20, minAgreement: 0.8 },
    canary: {
      steps: [
        { weight: 25, bakeSeconds: 3 },
        { weight: 50, bakeSeconds: 3 },
      ],
    },
    // The statistical judge's defaults (alpha, minimum latency shift, failureThreshold) on short windows.
    slo: { maxErrorRate: 0.01, minSamples: 10, windowSeconds: 3 },
    checkIntervalSeconds: 1,
    maxSampleWaitSeconds: 30,
    promote: { bakeSeconds: 2 },
    ...overrides,
  });

  beforeAll(async () => {
    fledge = await startFledgeProcesses();
    client = new FledgeClient(fledge.api, fledge.api.keys.admin);

    await client.createModel({ name: model, task: 'CLASSIFICATION', modality: 'IMAGE' });
    for (const name of ['digits-mlp', 'digits-mlp-v2', 'digits-mlp-slow'] as const) {
      await client.registerModelVersion(model, (await getModel(name)).onnx, { labels, trainedAs: name });
    }
    await client.createDataset(dataset);
    const file = path.join(tmpdir(), `${dataset}.jsonl`);
    await writeDataset('digits', 'test', file, { format: 'jsonl', limit: 400 });
    await client.registerDatasetVersion(dataset, await readFile(file), ['pixels']);
    await rm(file, { force: true });
    gate = { dataset: `${dataset}@1`, minAccuracy: 0.85, maxAccuracyDrop: 0.05 };
    await client.createEndpoint({ name: endpoint });

    const digits = loadDigits().test;
    const rows: OipTensor[][] = Array.from({ length: 200 }, (_, r) => [
      {
        name: 'pixels',
        datatype: 'FP32',
        shape: [1, 784],
        data: Array.from(digits.features.subarray(r * 784, (r + 1) * 784)),
      },
    ]);
    oip = new OipClient(fledge.servingUrl);
    traffic = new TrafficGenerator(oip, { endpoint, ratePerSecond: 60, inputs: (i) => rows[i % rows.length] });
  });

  afterAll(async () => {
    await traffic?.stop();
    oip?.close();
    await fledge?.close();
  });

  const expectNoFailedRequests = () => {
    const report = traffic.snapshot();
    expect({
      failed: report.failed,
      broken: report.broken,
      dropped: report.dropped,
      lastError: report.lastError,
    }).toEqual({
      failed: {},
      broken: 0,
      dropped: 0,
      lastError: null,
    });
  };

  it('deploys v1 to the empty endpoint through the offline gate, straight to 100%', async () => {
    const id = await client.startRollout('deployModelVersion', { endpoint, model, version: 1, policy: fastPolicy() });
    const done = await client.waitFor(id, () => false);
    expect(done.state).toBe('SUCCEEDED');
    expect(done.events.find((e) => e.type === 'gate.evaluated')?.detail.gate.passed).toBe(true);
    expect(await client.variants(endpoint)).toEqual([{ name: `${model}-v1`, role: 'primary', weight: 100 }]);
    traffic.start();
    await traffic.answered(100);
    expect(traffic.snapshot().byVariant).toEqual({ [`${model}-v1`]: expect.any(Number) });
    expectNoFailedRequests();
  });

  it('promotes v2 through shadow and canary steps to full traffic under load and a hostile client, losing no request', async () => {
    // A client sending malformed requests (a wrong shape: HTTP 400) at about 12% of the traffic
    // reaches the candidate during the canary: its refusals are shown, never judged as faults.
    const hostile = new TrafficGenerator(oip, {
      endpoint,
      ratePerSecond: 8,
      inputs: () => [{ name: 'pixels', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }],
    }).start();
    const id = await client.startRollout('promote', { endpoint, model, version: 2, policy: fastPolicy() });
    const done = await client.waitFor(id, () => false);
    const refused = await hostile.stop();
    expect(done).toMatchObject({ state: 'SUCCEEDED' }); // a failure prints the whole rollout, reason included
    expect(refused.ok).toBe(0);
    expect(refused.failed['400']).toBeGreaterThan(0);
    const canaryWindows = done.events.filter((e) => e.type === 'slo.window' && e.detail.phase === 'canary');
    expect(canaryWindows.some((e) => e.detail.candidate.clientErrors > 0)).toBe(true);
    const applied = done.events.filter((e) => e.type === 'traffic.applied').map((e) => e.detail.stepKey);
    expect(applied).toEqual(['shadow', 'canary-1', 'canary-2', 'promoting', 'final']);
    expect(done.events.some((e) => e.type === 'slo.window' && e.detail.verdict === 'pass')).toBe(true);
    expect(await client.variants(endpoint)).toEqual([{ name: `${model}-v2`, role: 'primary', weight: 100 }]);
    const alias = await client.typed.request(ModelAliasesDocument, { name: model });
    expect(alias.model?.aliases).toContainEqual(expect.objectContaining({ name: 'production', version: 2 }));
    expect(traffic.snapshot().byVariant[`${model}-v2`]).toBeGreaterThan(0);
    expectNoFailedRequests();
  });

  it('rolls a deliberately slow v3 back by itself on its latency, traffic first, losing no request', async () => {
    const id = await client.startRollout('promote', {
      endpoint,
      model,
      version: 3,
      policy: fastPolicy({
        shadow: { enabled: false },
        canary: { steps: [{ weight: 50, bakeSeconds: 30 }] },
      }),
    });
    const done = await client.waitFor(id, () => false);
    expect(done.state).toBe('ROLLED_BACK');
    expect(done.reason).toMatch(/SLO breach during canary/);
    // Mann–Whitney on the runtime's latency distributions and the minimum effect of the policy.
    const failed = done.events.find((e) => e.type === 'slo.window' && e.detail.verdict === 'fail');
    expect(failed?.detail.summary).toMatch(/candidate slower/);
    expect(await client.variants(endpoint)).toEqual([{ name: `${model}-v2`, role: 'primary', weight: 100 }]);
    expectNoFailedRequests();
  });

  it('rolls back an active canary when Alertmanager posts a firing alert to the webhook', async () => {
    const id = await client.startRollout('promote', {
      endpoint,
      model,
      version: 1,
      policy: fastPolicy({ shadow: { enabled: false }, canary: { steps: [{ weight: 25, bakeSeconds: 120 }] } }),
    });
    await client.waitFor(id, (r) => r.state === 'CANARY');
    const res = await fetch(`${fledge.api.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fledge.api.keys.alerts}` },
      body: JSON.stringify({
        version: '4',
        status: 'firing',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'FledgeHighErrorRate', endpoint },
            annotations: {},
            fingerprint: 'e2e',
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1, alarms: [{ name: 'FledgeHighErrorRate', rolloutId: id }] });
    const done = await client.waitFor(id, () => false, 60_000);
    expect(done.state).toBe('ROLLED_BACK');
    expect(done.reason).toMatch(/alarm FledgeHighErrorRate from alertmanager/);
    expect(await client.variants(endpoint)).toEqual([{ name: `${model}-v2`, role: 'primary', weight: 100 }]);
    expectNoFailedRequests();
  });

  it('completes a rollout whose worker is killed (SIGKILL) mid-canary, shifting traffic exactly once per step', async () => {
    const id = await client.startRollout('promote', {
      endpoint,
      model,
      version: 1,
      policy: fastPolicy({
        shadow: { enabled: false },
        canary: {
          steps: [
            { weight: 25, bakeSeconds: 6 },
            { weight: 50, bakeSeconds: 6 },
          ],
        },
      }),
    });
    await client.waitFor(id, (r) => r.state === 'CANARY');
    await fledge.worker.kill('SIGKILL');
    // The worker stays down while 120 more requests (about 2 s at 60/s) are answered: serving
    // carries on without it, and the rollout's timers run late.
    await traffic.answered(120);
    await fledge.worker.start();
    const done = await client.waitFor(id, () => false);
    expect(done.state).toBe('SUCCEEDED');
    const applied = done.events.filter((e) => e.type === 'traffic.applied').map((e) => e.detail.stepKey);
    expect(applied).toEqual(['canary-1', 'canary-2', 'promoting', 'final']);
    expect(await client.variants(endpoint)).toEqual([{ name: `${model}-v1`, role: 'primary', weight: 100 }]);
    expectNoFailedRequests();
  });
});
