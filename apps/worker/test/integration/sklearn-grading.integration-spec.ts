import { readFile } from 'node:fs/promises';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateModelDocument,
  ModelVersionDocument,
  RegisterModelVersionDocument,
  type ModelTask,
  type RegisterModelVersionInput,
} from '@fledge/client';
import {
  serverTestEnv,
  sklearnModels,
  startTestApi,
  uniqueName,
  type SklearnModelName,
  type SklearnModels,
  type TestApi,
} from '@fledge/testing';
import onnxProto from 'onnx-proto';

import { refusal, upload } from '../../../api/test/support/registry-client.js';
import {
  classificationMetrics,
  evaluate,
  regressionMetrics,
  registerDatasetFile,
  waitForEvaluation,
} from '../support/grading-client.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

// Models trained and converted by scikit-learn + skl2onnx from PyPI (the test stack's venv), graded
// through GraphQL by the real worker, against scikit-learn's own metrics on the same test rows.
describe('scikit-learn models: prediction spec at registration, grading through GraphQL', () => {
  let api: TestApi;
  let worker: WorkerProcess;
  let sk: SklearnModels;
  const datasets: Record<string, { name: string; version: number }> = {};

  beforeAll(async () => {
    const env = serverTestEnv({ FLEDGE_TEMPORAL_TASK_QUEUE: uniqueName('sklearn') });
    sk = await sklearnModels(); // first: its export (once per machine) competes for the CPU the processes start with
    worker = await startWorkerProcess(env);
    api = await startTestApi(env);
    for (const name of Object.keys(sk.datasets)) {
      datasets[name] = await registerDatasetFile(api, uniqueName(name), sk.datasetPath(name), {
        format: 'jsonl',
        featureColumns: ['features'],
        labelColumn: 'label',
      });
    }
  });

  afterAll(async () => {
    await Promise.all([api?.close(), worker?.stop()]);
  });

  /** Creates a model of the manifest's task and registers the file as version 1 (no metadata). */
  const register = async (
    name: SklearnModelName,
    input: Partial<RegisterModelVersionInput> = {},
    bytes?: Uint8Array,
  ) => {
    const scientist = api.client('scientist');
    const model = uniqueName(name);
    await scientist.request(CreateModelDocument, {
      input: { name: model, task: sk.models[name].task.toUpperCase() as ModelTask, modality: 'TABULAR' },
    });
    const up = await upload(api, api.keys.scientist, 'model', bytes ?? (await readFile(sk.path(name))));
    const { registerModelVersion } = await scientist.request(RegisterModelVersionDocument, {
      input: { model, uploadId: up.id, ...input },
    });
    return { model, version: registerModelVersion.version };
  };
  const predictionOf = async (model: string) =>
    (await api.client('viewer').request(ModelVersionDocument, { model, version: 1 })).modelVersion?.prediction;

  const digits = Array.from({ length: 10 }, (_, i) => String(i));
  const cases: [SklearnModelName, Record<string, unknown>][] = [
    [
      'iris-logreg',
      {
        kind: 'CLASS_LABEL',
        output: 'label',
        classes: ['0', '1', '2'],
        classSource: 'model',
        scores: 'PROBABILITIES',
        scoresSource: 'detected',
      },
    ],
    [
      'iris-logreg-names',
      {
        kind: 'CLASS_LABEL',
        output: 'label',
        classes: ['setosa', 'versicolor', 'virginica'],
        classSource: 'model',
        scores: 'PROBABILITIES',
      },
    ],
    [
      'digits-forest',
      {
        kind: 'CLASS_LABEL',
        output: 'label',
        classes: digits,
        classSource: 'model',
        scores: 'PROBABILITIES',
        scoresSource: 'detected',
      },
    ],
    [
      'breast-cancer-gboost',
      { kind: 'CLASS_LABEL', output: 'label', classes: ['0', '1'], classSource: 'model', scores: 'PROBABILITIES' },
    ],
    [
      'wine-mlp',
      { kind: 'CLASS_LABEL', output: 'label', classes: ['0', '1', '2'], classSource: 'model', scores: 'PROBABILITIES' },
    ],
    [
      'digits-logits',
      {
        kind: 'CLASS_SCORES',
        output: 'logits',
        classes: digits,
        classSource: 'index',
        scoresOutput: 'logits',
        scores: 'LOGITS',
        scoresSource: 'detected',
      },
    ],
    ['diabetes-ridge', { kind: 'REGRESSION', output: 'variable', classes: null, scores: null }],
  ];

  it.each(cases)('%s: the spec read from the file, graded like scikit-learn grades it', async (name, expected) => {
    const info = sk.models[name];
    const { model } = await register(name);
    expect(await predictionOf(model)).toMatchObject(expected);

    const started = await evaluate(api, { name: model, version: 1 }, datasets[info.dataset]);
    const done = await waitForEvaluation(api, started.id, { timeoutMs: 120_000 });
    expect({ status: done.status, error: done.error }).toEqual({ status: 'SUCCEEDED', error: null });
    const rows = sk.datasets[info.dataset].rows;
    expect(done.metrics?.rows).toBe(rows);
    if (info.task === 'classification') {
      const metrics = classificationMetrics(done);
      // float32 in ORT vs float64 in scikit-learn: at most one borderline row may differ
      expect(Math.abs(metrics.accuracy - info.accuracy!)).toBeLessThanOrEqual(1 / rows + 1e-9);
      expect(metrics.logLoss).toBeCloseTo(info.logLoss!, 2);
    } else {
      expect(regressionMetrics(done).mae).toBeCloseTo(info.mae!, 2);
    }
  });

  it('a logits-only classifier gets the log-loss of its softmax, not of clipped logits', async () => {
    const { model } = await register('digits-logits');
    const started = await evaluate(api, { name: model, version: 1 }, datasets['digits-test']);
    const { logLoss } = classificationMetrics(await waitForEvaluation(api, started.id, { timeoutMs: 120_000 }));
    expect(logLoss).toBeLessThan(1);
    expect(logLoss).toBeCloseTo(sk.models['digits-logits'].logLoss!, 2);
  });

  it('declaring the scores overrides detection; an override naming a missing output is INVALID_ARGUMENT naming it', async () => {
    const declared = await register('iris-logreg', { prediction: { output: 'probabilities', scores: 'LOGITS' } });
    expect(declared.version).toBe(1);
    expect(await predictionOf(declared.model)).toMatchObject({
      kind: 'CLASS_SCORES',
      output: 'probabilities',
      scores: 'LOGITS',
      scoresSource: 'declared',
    });

    const refused = await refusal(register('iris-logreg', { prediction: { output: 'proba' } }));
    expect(refused).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'PREDICTION_OUTPUT_UNKNOWN' });
    expect(refused.message).toContain('no output proba (its outputs: label, probabilities)');
  });

  it('a file written for ONNX IR 14 is refused saying so and how to re-export, without runtime internals', async () => {
    const { onnx } = onnxProto;
    const decoded = onnx.ModelProto.decode(await readFile(sk.path('iris-logreg')));
    decoded.irVersion = 14;
    const error = await refusal(register('iris-logreg', {}, onnx.ModelProto.encode(decoded).finish()));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'ONNX_UNREADABLE' });
    expect(error.message).toMatch(/ONNX IR version 14; this runtime loads IR versions up to 13/);
    expect(error.message).toMatch(/ir_version/);
    expect(error.message).not.toMatch(/onnxruntime::|onnxruntime_src|\/tmp\//);
  });

  it('a string-label classifier grades against a dataset labelled with its class names, with no metadata.labels', async () => {
    const { model } = await register('iris-logreg-names');
    const started = await evaluate(api, { name: model, version: 1 }, datasets['iris-names-test']);
    const done = await waitForEvaluation(api, started.id, { timeoutMs: 120_000 });
    expect(done.status).toBe('SUCCEEDED');
    const metrics = classificationMetrics(done);
    expect(metrics.perClass.map((c) => c.label)).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(metrics.accuracy).toBeGreaterThan(0.9);
  });
});
