import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateUploadDocument, DatasetVersionDocument, RegisterModelVersionDocument } from '@fledge/client';
import { type FledgeDatabase } from '@fledge/db';
import { freePort, openTestDatabase, serverTestEnv, startTestApi, uniqueName, type TestApi } from '@fledge/testing';
import { getModel, writeDataset } from '@fledge/trainer';

import { refusal } from '../support/registry-client.js';
import { evaluate, registerDatasetFile, registerTrainerModel } from '../../../worker/test/support/grading-client.js';

describe('evaluate when the workflow engine is unreachable', () => {
  let api: TestApi;
  let database: FledgeDatabase;
  let dir: string;
  let dataset: { name: string; version: number; id: string };
  let model: { name: string; version: number };

  beforeAll(async () => {
    // Nothing listens on this port: every workflow start fails.
    const env = serverTestEnv({ FLEDGE_TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    [api, database] = await Promise.all([startTestApi(env), openTestDatabase()]);
    dir = await mkdtemp(path.join(tmpdir(), 'fledge-evaluate-'));
  });

  afterAll(async () => {
    await Promise.all([api?.close(), database?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers UNAVAILABLE and leaves one pending evaluation, which the next evaluate tries to start again', async () => {
    const penguins = await writeDataset('penguins', 'test', path.join(dir, 'penguins.csv'), { format: 'csv' });
    dataset = await registerDatasetFile(api, uniqueName('penguins'), penguins.path, {
      format: 'csv',
      featureColumns: penguins.featureColumns.map((c) => c.name),
      labelColumn: penguins.labelColumn,
    });
    model = await registerTrainerModel(api, uniqueName('penguins'), 'penguins-forest', 'TABULAR');

    const first = await refusal(evaluate(api, model, dataset));
    expect(first.code).toBe('UNAVAILABLE');
    // The API's own answer, not an unreachable API.
    expect(first.httpStatus).not.toBeNull();
    expect(first.message).toMatch(/^the workflow engine did not start the grading/);
    expect((await refusal(evaluate(api, model, dataset))).code).toBe('UNAVAILABLE');
    const rows = await database.prisma.evaluation.findMany({ where: { datasetVersionId: dataset.id } });
    expect(rows.map((r) => r.status)).toEqual(['pending']);
  });

  it('shows where a dataset version is used: the evaluations on it and the model versions trained on it', async () => {
    const client = api.client('scientist');
    const { onnx } = await getModel('penguins-forest');
    const { createUpload } = await client.request(CreateUploadDocument, { input: { kind: 'MODEL' } });
    await client.upload(createUpload.url, onnx);
    const { registerModelVersion: trained } = await client.request(RegisterModelVersionDocument, {
      input: {
        model: model.name,
        uploadId: createUpload.id,
        trainingDataset: { dataset: dataset.name, version: dataset.version },
      },
    });

    const { datasetVersion } = await api
      .client('viewer')
      .request(DatasetVersionDocument, { dataset: dataset.name, version: dataset.version });
    expect(
      datasetVersion?.evaluations.map((e) => [e.status, e.modelVersion.model.name, e.modelVersion.version]),
    ).toEqual([['PENDING', model.name, model.version]]);
    expect(datasetVersion?.trainedModelVersions.map((v) => [v.model.name, v.version])).toEqual([
      [model.name, trained.version],
    ]);
    // The first version was not trained on it; a limit of 0 is read as 1 (never an unbounded list).
    const few = await api
      .client('viewer')
      .request(DatasetVersionDocument, { dataset: dataset.name, version: dataset.version, usedBy: 0 });
    expect(few.datasetVersion?.evaluations).toHaveLength(1);
  });
});
