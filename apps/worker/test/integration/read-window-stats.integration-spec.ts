import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type FledgeDatabase } from '@fledge/db';
import { LocalHostingBackend } from '@fledge/hosting';
import { type ServingRuntime, startServingRuntime } from '@fledge/serving';
import { LocalArtifactStore, modelVersionArtifactKey } from '@fledge/storage';
import { openTestDatabase, uniqueName } from '@fledge/testing';
import { getModel, loadDigits } from '@fledge/trainer';

import { createRolloutActivities } from '../../src/activities/rollout.activities.js';

// The rollout's window read, end to end: a real serving runtime answers good and malformed
// requests, the activity reads its window through the LocalHostingBackend and hands the judge
// server faults, client errors and the latency distribution apart.

const TOKEN = 'read-window-stats-token-0123456789';

describe('readWindowStats (local hosting)', () => {
  let db: FledgeDatabase;
  let serving: ServingRuntime;
  let endpoint: { id: string; name: string };

  beforeAll(async () => {
    db = await openTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'fledge-window-'));
    const store = new LocalArtifactStore(join(dir, 'artifacts'));
    serving = await startServingRuntime({
      port: 0,
      adminPort: 0,
      adminToken: TOKEN,
      dataDir: join(dir, 'data'),
      artifactSource: store,
    });
    await serving.ready;
    const name = uniqueName('window');
    const row = await db.prisma.endpoint.create({ data: { name, backend: 'local' } });
    endpoint = { id: row.id, name };
    const put = await store.put(modelVersionArtifactKey('digits', 'v1'), (await getModel('digits-mlp')).onnx);
    await new LocalHostingBackend({ adminUrl: serving.adminUrl, adminToken: TOKEN }).applyEndpoint({
      name,
      variants: [
        {
          variantName: 'digits-v1',
          modelVersionId: 'mv-1',
          modelName: 'digits',
          version: 1,
          artifactUri: put.uri,
          sha256: put.sha256,
          role: 'primary',
          weight: 100,
          shadowSampleRate: 0,
        },
      ],
    });
  }, 300_000);

  afterAll(async () => {
    await serving?.close();
    await db?.close();
  });

  it('passes clientErrors, the latency distribution and the source to the judge, errors only for server faults', async () => {
    const infer = (body: string) =>
      fetch(`${serving.url}/v2/models/${endpoint.name}/infer`, { method: 'POST', body }).then((r) => r.status);
    const pixels = Array.from(loadDigits().test.features.subarray(0, 784));
    const good = JSON.stringify({ inputs: [{ name: 'pixels', datatype: 'FP32', shape: [1, 784], data: pixels }] });
    for (let i = 0; i < 4; i++) expect(await infer(good)).toBe(200);
    expect(await infer('{"inputs": [')).toBe(400);
    expect(await infer(good.replace('[1,784]', '[1,785]').replace(/\]\}\]\}$/, ',1e39]}]}'))).toBe(400);

    const activities = createRolloutActivities({
      db: db.prisma,
      hosting: { local: new LocalHostingBackend({ adminUrl: serving.adminUrl, adminToken: TOKEN }) },
      temporal: () => Promise.reject(new Error('not used')),
      taskQueue: 'unused',
    });
    const [stats] = await activities.readWindowStats({ endpoint, variants: ['digits-v1'], windowSeconds: 60 });
    expect(stats).toMatchObject({ variant: 'digits-v1', requests: 6, errors: 0, clientErrors: 2, source: 'local' });
    expect(stats.latency!.counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(stats.latency!.valuesMs.length).toBe(stats.latency!.counts.length);
    expect(stats.latency!.valuesMs.every((v, i, all) => v > 0 && (i === 0 || v > all[i - 1]))).toBe(true);
    expect(stats.p99Ms).toBeGreaterThan(0);
  });
});
