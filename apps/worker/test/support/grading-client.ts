import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

import { readDatasetBatches, type DatasetFormat } from '@fledge/datasets';
import { type ModelSignature } from '@fledge/domain';
import { OnnxModelRuntime } from '@fledge/inference';
import { type TestApi } from '@fledge/testing';
import { getModel, type ModelName } from '@fledge/trainer';

import { createModel, expectData, REGISTER_MODEL_VERSION, upload } from '../../../api/test/support/registry-client.js';

export const EVALUATION_FIELDS = `
  id status rowsDone rowsTotal metrics throughput latency error createdAt startedAt finishedAt
  modelVersion { version model { name } }
  datasetVersion { version dataset { name } }`;

export const EVALUATE = `mutation($input: EvaluateInput!) { evaluate(input: $input) { ${EVALUATION_FIELDS} } }`;
export const EVALUATION = `query($id: ID!) { evaluation(id: $id) { ${EVALUATION_FIELDS} } }`;

export interface Evaluation {
  id: string;
  status: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  rowsDone: number;
  rowsTotal: number | null;
  metrics: any;
  throughput: number | null;
  latency: any;
  error: string | null;
}

/** Creates a model and registers one version of a trainer model, its class names in metadata.labels. */
export async function registerTrainerModel(
  api: TestApi,
  name: string,
  trained: ModelName,
  modality: 'IMAGE' | 'TEXT' | 'TABULAR',
): Promise<{ name: string; version: number; signature: ModelSignature }> {
  const key = api.keys.scientist;
  const model = await getModel(trained);
  expectData(
    await api.graphql(
      'mutation($input: CreateModelInput!) { createModel(input: $input) { id } }',
      { input: { name, task: 'CLASSIFICATION', modality } },
      key,
    ),
  );
  const up = await upload(api, key, 'model', model.onnx);
  const registered = expectData(
    await api.graphql<{ registerModelVersion: { version: number; signature: ModelSignature } }>(
      REGISTER_MODEL_VERSION,
      { input: { model: name, uploadId: up.id, metadata: { labels: model.report.labels } } },
      key,
    ),
  ).registerModelVersion;
  return { name, version: registered.version, signature: registered.signature };
}

export { createModel };

/** Creates a dataset and registers a local data file as its first version. */
export async function registerDatasetFile(
  api: TestApi,
  name: string,
  file: string,
  options: { format: DatasetFormat; featureColumns: readonly string[]; labelColumn: string },
): Promise<{ name: string; version: number; uri: string; id: string }> {
  const key = api.keys.scientist;
  expectData(
    await api.graphql(
      'mutation($input: CreateDatasetInput!) { createDataset(input: $input) { id } }',
      {
        input: { name },
      },
      key,
    ),
  );
  const up = await upload(api, key, 'dataset', await readFile(file));
  if (up.status !== 200) throw new Error(`upload failed: ${JSON.stringify(up.body)}`);
  const registered = expectData(
    await api.graphql<{ registerDatasetVersion: { id: string; version: number; uri: string } }>(
      `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { id version uri } }`,
      {
        input: {
          dataset: name,
          uploadId: up.id,
          format: options.format.toUpperCase(),
          featureColumns: options.featureColumns,
          labelColumn: options.labelColumn,
        },
      },
      key,
    ),
  ).registerDatasetVersion;
  return { name, ...registered };
}

export async function evaluate(
  api: TestApi,
  model: { name: string; version: number },
  dataset: { name: string; version: number },
) {
  return api.graphql<{ evaluate: Evaluation }>(
    EVALUATE,
    { input: { model: model.name, version: model.version, dataset: dataset.name, datasetVersion: dataset.version } },
    api.keys.scientist,
  );
}

/** Polls the evaluation until it ends (or `until` holds); returns the last state seen. */
export async function waitForEvaluation(
  api: TestApi,
  id: string,
  options: { timeoutMs?: number; until?: (e: Evaluation) => boolean } = {},
): Promise<Evaluation> {
  const until = options.until ?? ((e: Evaluation) => e.status === 'SUCCEEDED' || e.status === 'FAILED');
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    const e = expectData(await api.graphql<{ evaluation: Evaluation }>(EVALUATION, { id }, api.keys.viewer)).evaluation;
    if (until(e)) return e;
    if (Date.now() > deadline) throw new Error(`evaluation ${id} still ${e.status} (${e.rowsDone}/${e.rowsTotal})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The reference: the same rows through the inference runtime in this process, top-1 of the
 * probabilities against the label, counted by hand.
 */
export async function referenceAccuracy(
  modelName: ModelName,
  file: string,
  options: { format: DatasetFormat; featureColumns: readonly string[]; labelColumn: string; labels: readonly string[] },
): Promise<{ correct: number; rows: number }> {
  const model = await getModel(modelName);
  const runtime = new OnnxModelRuntime({ workers: 1 });
  try {
    const { signature } = await runtime.load({ key: model.sha256, path: model.path });
    let correct = 0;
    let rows = 0;
    for await (const batch of readDatasetBatches(createReadStream(file), {
      format: options.format,
      compression: 'auto',
      batchSize: 100,
      decoder: { inputs: signature.inputs, ...options, task: 'classification' },
    })) {
      const outputs = await runtime.run(
        model.sha256,
        signature.inputs.map((s) => batch.inputs[s.name] as never),
      );
      const probabilities = outputs.find((o) => o.name === 'probabilities')!.data as ArrayLike<number>;
      const classes = options.labels.length;
      for (let r = 0; r < batch.rowCount; r++) {
        let best = 0;
        for (let k = 1; k < classes; k++)
          if (probabilities[r * classes + k] > probabilities[r * classes + best]) best = k;
        if (best === batch.labels![r]) correct++;
        rows++;
      }
    }
    return { correct, rows };
  } finally {
    await runtime.close();
  }
}
