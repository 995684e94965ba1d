import { readFile } from 'node:fs/promises';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ModelVersionDocument } from '@fledge/client';
import { OipClient, TrafficGenerator, type OipTensor } from '@fledge/oip-client';
import { sklearnModels, startFledgeProcesses, uniqueName, type FledgeProcesses } from '@fledge/testing';

import { FledgeClient } from './support/fledge-client.js';

// scikit-learn classifiers converted by skl2onnx (outputs `label` int64 first, `probabilities`
// second), promoted with shadow on and the DEFAULT policy — only the bakes shortened so the test
// takes minutes, not the defaults' ten — under steady traffic from outside the repo's own models.
describe('promoting scikit-learn classifiers with shadow on and the default policy (processes, real servers)', () => {
  let fledge: FledgeProcesses;
  let client: FledgeClient;
  let oip: OipClient;
  let traffic: TrafficGenerator;
  let agreement: Record<string, number>;
  const model = uniqueName('sk-digits');
  const dataset = uniqueName('sk-digits-test');
  const endpoint = uniqueName('sk-digits');

  /** The default policy with short bakes (and, where said, without the offline gate). */
  const shortBakes = (gate: Record<string, unknown>) => ({
    gate,
    shadow: { durationSeconds: 5 },
    canary: {
      steps: [
        { weight: 5, bakeSeconds: 5 },
        { weight: 25, bakeSeconds: 5 },
        { weight: 50, bakeSeconds: 5 },
      ],
    },
    promote: { bakeSeconds: 5 },
  });

  beforeAll(async () => {
    const sk = await sklearnModels();
    agreement = sk.agreement;
    fledge = await startFledgeProcesses();
    client = new FledgeClient(fledge.api, fledge.api.keys.admin);
    await client.createModel({ name: model, task: 'CLASSIFICATION', modality: 'TABULAR' });
    for (const name of ['digits-logreg', 'digits-logreg-v2', 'digits-logreg-shifted'] as const) {
      await client.registerModelVersion(model, await readFile(sk.path(name)), { trainedAs: name });
    }
    await client.createDataset(dataset);
    const lines = (await readFile(sk.datasetPath('digits-test'), 'utf8')).trim().split('\n');
    await client.registerDatasetVersion(dataset, Buffer.from(lines.join('\n')), ['features']);
    await client.createEndpoint({ name: endpoint });

    const rows: OipTensor[][] = lines.map((line) => {
      const { features } = JSON.parse(line) as { features: number[] };
      return [{ name: 'input', datatype: 'FP32', shape: [1, features.length], data: features }];
    });
    oip = new OipClient(fledge.servingUrl);
    traffic = new TrafficGenerator(oip, { endpoint, ratePerSecond: 40, inputs: (i) => rows[i % rows.length] });
  });

  afterAll(async () => {
    await traffic?.stop();
    oip?.close();
    await fledge?.close();
  });

  const shadowWindows = (events: { type: string; detail: any }[]) =>
    events.filter((e) => e.type === 'slo.window' && e.detail.phase === 'shadow');

  it('the registered versions compare on their label output, classes read from the model', async () => {
    const { modelVersion } = await client.typed.request(ModelVersionDocument, { model, version: 1 });
    expect(modelVersion?.prediction).toMatchObject({
      output: 'label',
      kind: 'CLASS_LABEL',
      classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      scoresOutput: 'probabilities',
      scores: 'PROBABILITIES',
    });
  });

  it('deploys v1, then promotes a same-quality v2 through shadow and canary to SUCCEEDED under traffic', async () => {
    const deploy = await client.startRollout('deployModelVersion', {
      endpoint,
      model,
      version: 1,
      policy: shortBakes({ dataset: `${dataset}@1`, minAccuracy: 0.9 }),
    });
    expect((await client.waitFor(deploy, () => false)).state).toBe('SUCCEEDED');
    traffic.start();

    const id = await client.startRollout('promote', {
      endpoint,
      model,
      version: 2,
      policy: shortBakes({ dataset: `${dataset}@1`, minAccuracy: 0.9 }),
    });
    const done = await client.waitFor(id, () => false, 600_000);
    expect(done).toMatchObject({ state: 'SUCCEEDED' }); // a failure prints the whole rollout, reason included
    const shadow = shadowWindows(done.events);
    const passed = shadow.find((e) => e.detail.verdict === 'pass');
    expect(passed).toBeDefined();
    // scikit-learn's own agreement of the two on the test set is about 99%
    expect(agreement['digits-logreg|digits-logreg-v2']).toBeGreaterThan(0.95);
    expect(JSON.stringify(passed!.detail)).toMatch(/agreement/);
    expect(await client.variants(endpoint)).toEqual([{ name: `${model}-v2`, role: 'primary', weight: 100 }]);
    expect(traffic.snapshot().failed).toEqual({});
  });

  it('rolls back a version whose predictions differ on most inputs, naming the agreement', async () => {
    expect(agreement['digits-logreg|digits-logreg-shifted']).toBeLessThan(0.2);
    const id = await client.startRollout('promote', {
      endpoint,
      model,
      version: 3,
      policy: shortBakes({ maxAccuracyDrop: null }),
    });
    const done = await client.waitFor(id, () => false, 300_000);
    expect(done.state).toBe('ROLLED_BACK');
    expect(done.reason).toMatch(/agreement/);
    const failed = shadowWindows(done.events).find((e) => e.detail.verdict === 'fail');
    expect(failed?.detail.summary).toMatch(/agreement 0(\.\d+)? < 0\.95/);
    expect(await client.variants(endpoint)).toEqual([{ name: `${model}-v2`, role: 'primary', weight: 100 }]);
    expect(traffic.snapshot().failed).toEqual({});
  });
});
