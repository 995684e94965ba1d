import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

import {
  CreateDatasetDocument,
  CreateModelDocument,
  EvaluateDocument,
  EvaluationDetailDocument,
  RegisterDatasetVersionDocument,
  RegisterModelVersionDocument,
  type DatasetFormat as DatasetFormatEnum,
  type EvaluationFieldsFragment,
} from '@fledge/client';
import { readDatasetBatches, type DatasetFormat } from '@fledge/datasets';
import { type ClassificationMetrics, type EvaluationMetrics, type RegressionMetrics } from '@fledge/domain';
import { OnnxModelRuntime } from '@fledge/inference';
import { type TestApi } from '@fledge/testing';
import { getModel, type ModelName } from '@fledge/trainer';
import { type GradeDatasetOutcome } from '@fledge/workflows';

import { createModel, upload } from '../../../api/test/support/registry-client.js';

/** An evaluation as the API answers it (the generated type), its JSON columns read as what grading writes. */
export type GradedEvaluation = Omit<EvaluationFieldsFragment, 'metrics' | 'latency'> & {
  metrics: EvaluationMetrics | null;
  latency: GradeDatasetOutcome['latency'] | null;
};

const asGraded = (evaluation: EvaluationFieldsFragment) => evaluation as GradedEvaluation;

/** A classifier's metrics; fails when the evaluation has none (not graded, or a regression). */
export function classificationMetrics(e: GradedEvaluation): ClassificationMetrics {
  if (e.metrics?.kind !== 'classification') {
    throw new Error(`evaluation ${e.id} (${e.status}) has no classification metrics: ${JSON.stringify(e.metrics)}`);
  }
  return e.metrics;
}

/** A regressor's metrics; fails when the evaluation has none. */
export function regressionMetrics(e: GradedEvaluation): RegressionMetrics {
  if (e.metrics?.kind !== 'regression') {
    throw new Error(`evaluation ${e.id} (${e.status}) has no regression metrics: ${JSON.stringify(e.metrics)}`);
  }
  return e.metrics;
}

/** Creates a model and registers one version of a trainer model, its class names in metadata.labels. */
export async function registerTrainerModel(
  api: TestApi,
  name: string,
  trained: ModelName,
  modality: 'IMAGE' | 'TEXT' | 'TABULAR',
) {
  const scientist = api.client('scientist');
  const model = await getModel(trained);
  await scientist.request(CreateModelDocument, { input: { name, task: 'CLASSIFICATION', modality } });
  const up = await upload(api, api.keys.scientist, 'model', model.onnx);
  const { registerModelVersion: registered } = await scientist.request(RegisterModelVersionDocument, {
    input: { model: name, uploadId: up.id, metadata: { labels: model.report.labels } },
  });
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
  const scientist = api.client('scientist');
  await scientist.request(CreateDatasetDocument, { input: { name } });
  const up = await upload(api, api.keys.scientist, 'dataset', await readFile(file));
  const { registerDatasetVersion: registered } = await scientist.request(RegisterDatasetVersionDocument, {
    input: {
      dataset: name,
      uploadId: up.id,
      format: options.format.toUpperCase() as DatasetFormatEnum,
      featureColumns: [...options.featureColumns],
      labelColumn: options.labelColumn,
    },
  });
  return { name, id: registered.id, version: registered.version, uri: registered.uri };
}

/** Starts (or reuses) the evaluation of a pair with the scientist's key; refusals throw FledgeApiError. */
export async function evaluate(
  api: TestApi,
  model: { name: string; version: number },
  dataset: { name: string; version: number },
): Promise<GradedEvaluation> {
  const { evaluate: started } = await api.client('scientist').request(EvaluateDocument, {
    input: { model: model.name, version: model.version, dataset: dataset.name, datasetVersion: dataset.version },
  });
  return asGraded(started);
}

/** Polls the evaluation until it ends (or `until` holds); returns the last state seen. */
export async function waitForEvaluation(
  api: TestApi,
  id: string,
  options: { timeoutMs?: number; until?: (e: GradedEvaluation) => boolean } = {},
): Promise<GradedEvaluation> {
  const until = options.until ?? ((e: GradedEvaluation) => e.status === 'SUCCEEDED' || e.status === 'FAILED');
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  const viewer = api.client('viewer');
  for (;;) {
    const e = asGraded((await viewer.request(EvaluationDetailDocument, { id })).evaluation);
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
