import { describe, expect, it } from '@jest/globals';

import { type EvaluationFieldsFragment as EvaluationDetail } from '@fledge/client';
import { renderComparison, renderEvaluation } from './evaluation.renderer.js';

const base: EvaluationDetail = {
  id: 'ev-1',
  status: 'SUCCEEDED',
  rowsDone: 6,
  rowsTotal: 6,
  metrics: {
    kind: 'classification',
    rows: 6,
    accuracy: 0.5,
    macroF1: 0.5,
    weightedF1: 0.5,
    logLoss: 0.8,
    ece: 0.25,
    topK: { '1': 0.5, '2': 4 / 6 },
    perClass: [
      { label: 'ham', precision: 0.5, recall: 0.25, f1: 1 / 3, support: 4 },
      { label: 'spam', precision: 0.5, recall: 1, f1: 2 / 3, support: 2 },
    ],
    confusionMatrix: [
      [1, 3],
      [0, 2],
    ],
  },
  throughput: 1234.5,
  latency: { p50Ms: 1.25, p95Ms: 2, p99Ms: 3, run: { attempts: 1 } },
  error: null,
  createdBy: 'alice',
  createdAt: '2026-11-23T10:00:00.000Z',
  startedAt: '2026-11-23T10:00:01.000Z',
  finishedAt: '2026-11-23T10:00:02.000Z',
  modelVersion: { version: 2, model: { name: 'spam', task: 'CLASSIFICATION' } },
  datasetVersion: { version: 1, rowCount: 4, labels: ['ham', 'spam'], dataset: { name: 'mail' } },
};

describe(renderEvaluation.name, () => {
  it('shows the run, the metrics, a per-class table and the confusion matrix', () => {
    const text = renderEvaluation(base);
    expect(text.includes('\u001b[')).toBe(false);
    expect(text).toMatch(/^Model: +spam@2$/m);
    expect(text).toMatch(/^Dataset: +mail@1$/m);
    expect(text).toMatch(/^Status: +succeeded$/m);
    expect(text).toMatch(/^Throughput: +1235 rows\/s$/m);
    expect(text).toMatch(/^Batch latency: +p50 1\.3 ms, p95 2\.0 ms, p99 3\.0 ms$/m);
    expect(text).toMatch(/^Accuracy: +0\.5000$/m);
    expect(text).toMatch(/^Top-2 accuracy: +0\.6667$/m);
    expect(text).toMatch(
      /^CLASS +PRECISION +RECALL +F1 +SUPPORT\nham +0\.5000 +0\.2500 +0\.3333 +4\nspam +0\.5000 +1\.0000 +0\.6667 +2$/m,
    );
    expect(text).toMatch(/Confusion matrix \(rows: actual, columns: predicted\)\n +HAM +SPAM\nham +1 +3\nspam +0 +2$/);
  });

  it('shows a failure with its reason and no metrics', () => {
    const text = renderEvaluation({ ...base, status: 'FAILED', metrics: null, error: 'row 3 (line 3): bad' });
    expect(text).toMatch(/^Error: +row 3 \(line 3\): bad$/m);
    expect(text).not.toMatch(/Per class/);
  });

  it('shows regression metrics', () => {
    const text = renderEvaluation({ ...base, metrics: { kind: 'regression', rows: 6, mae: 0.5, rmse: 0.6, r2: 0.9 } });
    expect(text).toMatch(/^MAE: +0\.5000$/m);
    expect(text).toMatch(/^R²: +0\.9000$/m);
  });
});

describe(renderComparison.name, () => {
  const b: EvaluationDetail = {
    ...base,
    id: 'ev-2',
    modelVersion: { version: 3, model: { name: 'spam', task: 'CLASSIFICATION' } },
  };
  const delta = (a: number, bv: number, improved: boolean) => ({ a, b: bv, delta: bv - a, improved });

  it('shows both sides, each metric with its delta and direction, and the per-class deltas', () => {
    const text = renderComparison({
      a: base,
      b,
      metrics: [
        { metric: 'accuracy', ...delta(0.5, 0.75, true) },
        { metric: 'logLoss', ...delta(0.8, 0.9, false) },
        { metric: 'ece', ...delta(0.25, 0.25, false) },
      ],
      perClass: [
        { label: 'ham', f1: delta(0.5, 0.6, true), precision: delta(0.5, 0.4, false), recall: delta(1, 1, false) },
      ],
    });
    expect(text).toMatch(/^a: +spam@2 on mail@1 +\(evaluation ev-1\)$/m);
    expect(text).toMatch(/^b: +spam@3 on mail@1 +\(evaluation ev-2\)$/m);
    expect(text).toMatch(/^accuracy +0\.5000 +0\.7500 +\+0\.2500 +better$/m);
    expect(text).toMatch(/^logLoss +0\.8000 +0\.9000 +\+0\.1000 +worse$/m);
    expect(text).toMatch(/^ece +0\.2500 +0\.2500 +0\.0000 +same$/m);
    expect(text).toMatch(/^ham +0\.5000 +0\.6000 +\+0\.1000 +-0\.1000 +0\.0000$/m);
    expect(text).not.toContain('different dataset');
  });

  it('says so when the two were graded on different dataset versions', () => {
    const other = { ...b, datasetVersion: { ...b.datasetVersion, version: 2 } };
    expect(renderComparison({ a: base, b: other, metrics: [], perClass: [] })).toContain(
      'Note: graded on different dataset versions (mail@1 and mail@2).',
    );
  });
});
