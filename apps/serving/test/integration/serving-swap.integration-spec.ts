import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { getModel, loadDigits } from '@fledge/trainer';

import { type ServingRuntime, type VariantSpec } from '../../src/index.js';
import {
  applyEndpoint,
  TestArtifacts,
  infer,
  pixelsRequest,
  startTestRuntime,
  tempDir,
  variant,
} from '../serving-harness.js';

describe('serving runtime: configuration swaps under load', () => {
  let sut: ServingRuntime;
  const models: Record<string, { artifactUri: string; sha256: string }> = {};

  beforeAll(async () => {
    const artifacts = new TestArtifacts(tempDir('fledge-artifacts-'));
    for (const name of ['digits-mlp', 'digits-mlp-v2', 'digits-cnn'] as const) {
      models[name] = await artifacts.add(name, (await getModel(name)).onnx);
    }
    sut = await startTestRuntime(artifacts.store);
  }, 600_000);

  afterAll(async () => {
    await sut?.close();
  });

  it('loses zero requests across 20 swaps (new models loaded, old ones drained and released)', async () => {
    const v1 = variant('digits-v1', models['digits-mlp']);
    const v2 = variant('digits-v2', models['digits-mlp-v2']);
    const v3 = variant('digits-v3', models['digits-cnn']);
    const configs: VariantSpec[][] = [
      [v1],
      [
        { ...v1, weight: 90 },
        { ...v2, role: 'canary', weight: 10 },
      ],
      [
        { ...v1, weight: 50 },
        { ...v2, role: 'canary', weight: 50 },
      ],
      [
        { ...v2, weight: 100 },
        { ...v3, role: 'shadow', weight: 0, shadowSampleRate: 0.5 },
      ],
      [{ ...v3, weight: 100 }],
    ];
    await applyEndpoint(sut, 'live', configs[0]);
    const body = JSON.stringify(pixelsRequest(loadDigits().test.features.subarray(0, 784)));
    let sent = 0;
    let ok = 0;
    const failures: string[] = [];
    let stop = false;
    // Swaps are paced by answers, not by time: each waits until more requests have been served.
    let progress: { at: number; resolve: () => void } | undefined;
    const answered = (more: number) =>
      new Promise<void>((resolve) => {
        progress = { at: ok + failures.length + more, resolve };
      });
    const clients = Array.from({ length: 16 }, async () => {
      while (!stop) {
        sent++;
        try {
          const res = await infer(sut, 'live', body);
          if (res.status === 200) ok++;
          else failures.push(`${res.status} ${res.body.toString()}`);
        } catch (error) {
          failures.push(String(error));
        }
        if (progress && ok + failures.length >= progress.at) {
          progress.resolve();
          progress = undefined;
        }
      }
    });
    const generations: number[] = [];
    for (let i = 1; i <= 20; i++) {
      await answered(16);
      const res = await applyEndpoint(sut, 'live', configs[i % configs.length]);
      generations.push(res.json<{ generation: number }>().generation);
    }
    await answered(16);
    stop = true;
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect(ok).toBe(sent);
    expect(sent).toBeGreaterThan(200);
    expect(new Set(generations).size).toBe(20);
    // Only the models of the last configuration remain loaded.
    expect(sut.modelRuntime.pool.stats().models).toBe(1);
  }, 120_000);

  it('treats the same desired state twice as a no-op', async () => {
    const spec = [variant('digits-v1', models['digits-mlp'])];
    const first = (await applyEndpoint(sut, 'idem', spec)).json<{ changed: boolean; generation: number }>();
    const second = (await applyEndpoint(sut, 'idem', spec)).json<{ changed: boolean; generation: number }>();
    expect(first.changed).toBe(true);
    expect(second).toMatchObject({ changed: false, generation: first.generation });
  });
});
