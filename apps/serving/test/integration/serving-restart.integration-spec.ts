import { setTimeout as delay } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { LocalHostingBackend } from '@fledge/hosting';
import { answers, freePort, ServerProcess } from '@fledge/testing';
import { getModel, loadDigits } from '@fledge/trainer';

import { ADMIN_TOKEN, pixelsRequest, servingProcessEnv, TestArtifacts, tempDir } from '../serving-harness.js';

// The serving runtime as its own process (apps/serving/src/main.ts, config from the environment),
// driven through the LocalHostingBackend, killed with SIGKILL and started again.

describe('serving runtime process: kill and restart', () => {
  const dataDir = tempDir('fledge-serving-data-');
  const artifactDir = tempDir('fledge-serving-artifacts-');
  const artifacts = new TestArtifacts(artifactDir);
  let port: number;
  let adminPort: number;
  let server: ServerProcess;
  let backend: LocalHostingBackend;

  const inferDigit = () =>
    fetch(`http://127.0.0.1:${port}/v2/models/digits/infer`, {
      method: 'POST',
      body: JSON.stringify(pixelsRequest(loadDigits().test.features.subarray(0, 784))),
    });

  beforeAll(async () => {
    port = await freePort();
    adminPort = await freePort();
    backend = new LocalHostingBackend({ adminUrl: `http://127.0.0.1:${adminPort}`, adminToken: ADMIN_TOKEN });
    server = await ServerProcess.start({
      name: 'serving',
      entry: 'apps/serving/src/main.ts',
      env: servingProcessEnv({ dataDir, artifactDir, port, adminPort }),
      ready: () => answers(`http://127.0.0.1:${port}/v2/health/ready`),
    });
  }, 600_000);

  afterAll(async () => {
    await server?.kill('SIGKILL');
  });

  it('restores the last applied state after SIGKILL and serves without the control plane', async () => {
    const [v1, v2] = await Promise.all([getModel('digits-mlp'), getModel('digits-mlp-v2')]);
    const a1 = await artifacts.add('digits-v1', v1.onnx);
    const a2 = await artifacts.add('digits-v2', v2.onnx);
    const common = { modelName: 'digits', shadowSampleRate: 0 };
    const desired = {
      name: 'digits',
      variants: [
        {
          ...common,
          ...a1,
          variantName: 'digits-v1',
          modelVersionId: 'mv-1',
          version: 1,
          role: 'primary' as const,
          weight: 80,
        },
        {
          ...common,
          ...a2,
          variantName: 'digits-v2',
          modelVersionId: 'mv-2',
          version: 2,
          role: 'canary' as const,
          weight: 20,
        },
      ],
    };
    const applied = await backend.applyEndpoint(desired);
    expect(applied.changed).toBe(true);
    expect(applied.state.variants.map((v) => [v.variantName, v.weight])).toEqual([
      ['digits-v1', 80],
      ['digits-v2', 20],
    ]);
    expect((await backend.applyEndpoint(desired)).changed).toBe(false);
    expect((await inferDigit()).status).toBe(200);
    const stats = await backend.variantStats('digits', { seconds: 60 });
    expect(stats.reduce((n, s) => n + s.requests, 0)).toBe(1);

    // Live traffic through the crash and the restart: while the process is down a client gets
    // refused connections, while it restores 503 RESTORING with Retry-After — never a 404 for an
    // endpoint that is about to come back.
    const outcomes = new Map<string, number>();
    let restarted = false;
    let servedSinceRestart = 0;
    const traffic = (async () => {
      while (servedSinceRestart < 20) {
        let outcome: string;
        try {
          const res = await inferDigit();
          const body = (await res.json()) as { reason?: string };
          outcome =
            res.status === 503
              ? `503 ${body.reason} retry-after ${res.headers.get('retry-after')}`
              : String(res.status);
        } catch {
          outcome = 'connection refused';
          await delay(5); // pacing while the process is down, not synchronisation
        }
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (restarted && outcome === '200') servedSinceRestart++;
      }
    })();
    await server.kill('SIGKILL');
    await server.start();
    restarted = true;
    await traffic;
    process.stderr.write(`[restart under traffic] ${JSON.stringify(Object.fromEntries(outcomes))}\n`);
    expect(
      [...outcomes.keys()].filter((k) => !['200', '503 RESTORING retry-after 1', 'connection refused'].includes(k)),
    ).toEqual([]);

    const restored = await backend.describeEndpoint('digits');
    expect(restored?.variants.map((v) => [v.variantName, v.role, v.weight, v.sha256])).toEqual([
      ['digits-v1', 'primary', 80, a1.sha256],
      ['digits-v2', 'canary', 20, a2.sha256],
    ]);
    const variants = new Set<string | null>();
    for (let i = 0; i < 10; i++) {
      const res = await inferDigit();
      expect(res.status).toBe(200);
      variants.add(res.headers.get('fledge-variant'));
    }
    expect(variants).toEqual(new Set(['digits-v1', 'digits-v2']));
  }, 180_000);

  it('deletes endpoints idempotently and reports missing ones as null / NOT_FOUND', async () => {
    await backend.deleteEndpoint('digits');
    await backend.deleteEndpoint('digits');
    expect(await backend.describeEndpoint('digits')).toBeNull();
    await expect(backend.variantStats('digits', { seconds: 60 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await inferDigit()).status).toBe(404);
  });

  it('surfaces a refused apply as a typed error and a bad token as UNAUTHENTICATED', async () => {
    const bad = new LocalHostingBackend({ adminUrl: `http://127.0.0.1:${adminPort}`, adminToken: 'x'.repeat(32) });
    await expect(bad.describeEndpoint('digits')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(backend.applyEndpoint({ name: 'digits', variants: [] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'ENDPOINT_SPEC_INVALID',
    });
  });
});
