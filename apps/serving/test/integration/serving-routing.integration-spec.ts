import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { getModel, loadDigits } from '@fledge/trainer';

import { type EndpointStats, type ServingRuntime } from '../../src/index.js';
import {
  admin,
  applyEndpoint,
  TestArtifacts,
  infer,
  pixelsRequest,
  runConcurrently,
  startTestRuntime,
  tempDir,
  variant,
} from '../serving-harness.js';

describe('serving runtime: weighted routing, shadows and statistics', () => {
  let sut: ServingRuntime;
  let artifacts: TestArtifacts;
  const digits = loadDigits().test;
  const row = (i: number) => digits.features.subarray((i % digits.rows) * 784, ((i % digits.rows) + 1) * 784);
  const models: Record<string, { artifactUri: string; sha256: string }> = {};

  beforeAll(async () => {
    artifacts = new TestArtifacts(tempDir('fledge-artifacts-'));
    for (const name of ['digits-mlp', 'digits-mlp-v2', 'digits-mlp-wrong'] as const) {
      models[name] = await artifacts.add(name, (await getModel(name)).onnx);
    }
    sut = await startTestRuntime(artifacts.store);
  }, 600_000);

  afterAll(async () => {
    await sut?.close();
  });

  it('splits 10,000 requests 90/10 within ±2 points and reports it per variant', async () => {
    await applyEndpoint(sut, 'split', [
      variant('digits-v1', models['digits-mlp'], { weight: 90 }),
      variant('digits-v2', models['digits-mlp-v2'], { role: 'canary', weight: 10 }),
    ]);
    const body = JSON.stringify(pixelsRequest(row(1)));
    const answered = await runConcurrently(10_000, 32, async () => {
      const res = await infer(sut, 'split', body);
      expect(res.status).toBe(200);
      return res.headers.get('fledge-variant');
    });
    const canaryShare = answered.filter((v) => v === 'digits-v2').length / answered.length;
    expect(canaryShare).toBeGreaterThanOrEqual(0.08);
    expect(canaryShare).toBeLessThanOrEqual(0.12);

    const stats = (await admin(sut, 'GET', '/admin/endpoints/split/stats?windowSeconds=300')).json<EndpointStats>();
    const byName = Object.fromEntries(stats.variants.map((v) => [v.variant, v]));
    expect(byName['digits-v1'].requests + byName['digits-v2'].requests).toBe(10_000);
    expect(byName['digits-v2'].requests).toBe(answered.filter((v) => v === 'digits-v2').length);
    expect(byName['digits-v1'].errors).toBe(0);
    expect(byName['digits-v1'].p50Ms).toBeGreaterThan(0);
    expect(byName['digits-v1'].p99Ms).toBeGreaterThanOrEqual(byName['digits-v1'].p50Ms);
    expect(byName['digits-v1'].maxMs).toBeGreaterThanOrEqual(byName['digits-v1'].p99Ms);

    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    expect(metrics).toMatch(
      /fledge_serving_requests_total\{endpoint="split",variant="digits-v2",model_version="mv-digits-v2",code="200"\} \d+/,
    );
    expect(metrics).toMatch(/fledge_serving_request_duration_seconds_bucket\{[^}]*endpoint="split"/);
    expect(metrics).toMatch(/fledge_serving_batch_size_bucket/);
  }, 120_000);

  it('keeps a caller on one variant with sticky routing', async () => {
    const seen = new Set<string | null>();
    for (let i = 0; i < 30; i++) {
      const res = await infer(sut, 'split', pixelsRequest(row(i)), {
        headers: { 'fledge-routing-key': 'customer-17' },
      });
      seen.add(res.headers.get('fledge-variant'));
    }
    expect(seen.size).toBe(1);
  });

  it('mirrors every request to a 100% shadow, compares with the primary and never changes the answer', async () => {
    await applyEndpoint(sut, 'shadowed', [
      variant('digits-v1', models['digits-mlp']),
      variant('digits-v2', models['digits-mlp-v2'], { role: 'shadow', weight: 0, shadowSampleRate: 1 }),
      variant('digits-wrong', models['digits-mlp-wrong'], { role: 'shadow', weight: 0, shadowSampleRate: 1 }),
    ]);
    const n = 400;
    const answered = await runConcurrently(n, 2, async (i) => {
      const res = await infer(sut, 'shadowed', pixelsRequest(row(i)));
      expect(res.status).toBe(200);
      return res.headers.get('fledge-variant');
    });
    expect(new Set(answered)).toEqual(new Set(['digits-v1']));
    // Shadows answer after the primary: wait until every mirrored answer is recorded.
    await sut.dataplane.shadowsSettled();
    const stats = (await admin(sut, 'GET', '/admin/endpoints/shadowed/stats?windowSeconds=60')).json<EndpointStats>();
    const byName = Object.fromEntries(stats.variants.map((v) => [v.variant, v]));
    expect(byName['digits-v1'].requests).toBe(n);
    for (const shadow of ['digits-v2', 'digits-wrong']) {
      expect(byName[shadow]).toMatchObject({ shadowSamples: n, shadowDrops: 0, shadowErrors: 0, requests: n });
    }
    expect(byName['digits-v2'].agreement).toBeGreaterThan(0.85);
    expect(byName['digits-wrong'].agreement).toBeLessThan(0.3);
  }, 60_000);

  it('answers stats since a given time and 404s unknown endpoints', async () => {
    const since = Date.now() + 60_000;
    const empty = (await admin(sut, 'GET', `/admin/endpoints/split/stats?since=${since}`)).json<EndpointStats>();
    expect(empty.variants.every((v) => v.requests === 0)).toBe(true);
    const iso = new Date(Date.now() - 300_000).toISOString();
    const all = (
      await admin(sut, 'GET', `/admin/endpoints/split/stats?since=${encodeURIComponent(iso)}`)
    ).json<EndpointStats>();
    expect(all.variants.reduce((n, v) => n + v.requests, 0)).toBeGreaterThanOrEqual(10_000);
    expect((await admin(sut, 'GET', '/admin/endpoints/none/stats')).status).toBe(404);
  });
});
