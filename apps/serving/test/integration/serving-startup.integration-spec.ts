import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { getModel, loadDigits } from '@fledge/trainer';

import { type ArtifactSource, type ServingRuntime } from '../../src/index.js';
import {
  admin,
  applyEndpoint,
  infer,
  pixelsRequest,
  rawRequest,
  startTestRuntime,
  TestArtifacts,
  tempDir,
  variant,
} from '../serving-harness.js';

const pixels = () => pixelsRequest(loadDigits().test.features.subarray(0, 784));

describe('serving startup: restoring the persisted endpoints', () => {
  const dataDir = tempDir('fledge-serving-restore-');
  const artifacts = new TestArtifacts(tempDir('fledge-artifacts-'));
  let sut: ServingRuntime | undefined;

  beforeAll(async () => {
    const first = await startTestRuntime(artifacts.store, { dataDir });
    await applyEndpoint(first, 'digits', [
      variant('digits-v1', await artifacts.add('mlp', (await getModel('digits-mlp')).onnx)),
    ]);
    await first.close();
    // Without its cached artifact the restore must fetch again: the gate below holds it there.
    await rm(join(dataDir, 'serving', 'artifacts'), { recursive: true, force: true });
  }, 300_000);

  afterAll(async () => {
    await sut?.close();
  });

  it('answers 503 RESTORING with Retry-After (never 404) and is not ready until the restore is done', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const fetching = new Promise<void>((resolve) => (reached = resolve));
    const gated: ArtifactSource = {
      async downloadToFile(uri, expected, dest) {
        reached();
        await gate;
        return artifacts.store.downloadToFile(uri, expected, dest);
      },
    };
    sut = await startTestRuntime(gated, { dataDir, skipReady: true });
    await fetching;

    expect((await fetch(`${sut.url}/v2/health/live`)).status).toBe(200);
    const ready = await fetch(`${sut.url}/v2/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false });
    for (const res of [
      await infer(sut, 'digits', pixels()),
      await infer(sut, 'digits', pixels(), { version: '1' }),
      await infer(sut, 'not-persisted', pixels()),
    ]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.json()).toMatchObject({ code: 'UNAVAILABLE', reason: 'RESTORING' });
    }
    expect((await fetch(`${sut.url}/v2/models/digits`)).status).toBe(503);
    const invocations = await fetch(`${sut.url}/invocations`, { method: 'POST', body: JSON.stringify(pixels()) });
    expect(invocations.status).toBe(503);
    expect((await fetch(`${sut.url}/ping`)).status).toBe(503);

    release();
    await sut.ready;
    expect((await fetch(`${sut.url}/v2/health/ready`)).status).toBe(200);
    const served = await infer(sut, 'digits', pixels());
    expect(served.status).toBe(200);
    expect(served.headers.get('fledge-variant')).toBe('digits-v1');
    expect((await infer(sut, 'not-persisted', pixels())).status).toBe(404);
    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    expect(metrics).toMatch(/fledge_serving_refused_total\{code="503",reason="RESTORING"\} 5/);
  });
});

describe('serving startup: bind addresses', () => {
  const artifacts = new TestArtifacts(tempDir('fledge-artifacts-'));
  const runtimes: ServingRuntime[] = [];

  afterAll(async () => {
    await Promise.all(runtimes.map((r) => r.close()));
  });

  // 127.0.0.2 is loopback too, but only a listener on every address (0.0.0.0) answers there.
  const answersOn = async (port: number): Promise<boolean> => {
    try {
      await rawRequest(port, 'GET /v2/health/live HTTP/1.1\nHost: x\nConnection: close', '', { host: '127.0.0.2' });
      return true;
    } catch {
      return false;
    }
  };

  it('keeps the admin API on loopback when the data plane listens on every address', async () => {
    const sut = await startTestRuntime(artifacts.store, { host: '0.0.0.0' });
    runtimes.push(sut);
    expect(sut.adminUrl).toBe(`http://127.0.0.1:${sut.adminPort}`);
    expect(await answersOn(sut.port)).toBe(true);
    expect(await answersOn(sut.adminPort)).toBe(false);
    expect((await admin(sut, 'GET', '/admin/endpoints')).status).toBe(200);
  });

  it('opens the admin API on another address only when told to', async () => {
    const sut = await startTestRuntime(artifacts.store, { adminHost: '0.0.0.0' });
    runtimes.push(sut);
    expect(await answersOn(sut.port)).toBe(false);
    expect(await answersOn(sut.adminPort)).toBe(true);
  });
});
