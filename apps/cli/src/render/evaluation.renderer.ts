import {
  type CompareEvaluationsQuery,
  type EvaluationFieldsFragment as EvaluationDetail,
  type MetricDeltaFieldsFragment as MetricDelta,
} from '@fledge/client';
import { type EvaluationMetrics } from '@fledge/domain';

import { fields, formatTime, lower, section, table } from './format.util.js';

type EvaluationComparison = CompareEvaluationsQuery['compareEvaluations'];
/** The `latency` JSON of an evaluation: batch latency percentiles (ms). */
type BatchLatency = { p50Ms?: number; p95Ms?: number; p99Ms?: number } | null;

/** Confusion matrices wider than this are left to --json. */
const MAX_MATRIX_CLASSES = 20;

const num = (value: number | undefined | null, digits = 4) =>
  value === undefined || value === null ? '-' : value.toFixed(digits);

export function renderEvaluation(e: EvaluationDetail): string {
  const latency = e.latency as BatchLatency;
  const head = fields([
    ['Evaluation', e.id],
    ['Model', `${e.modelVersion.model.name}@${e.modelVersion.version}`],
    ['Dataset', `${e.datasetVersion.dataset.name}@${e.datasetVersion.version}`],
    ['Status', lower(e.status)],
    ['Rows', `${e.rowsDone} of ${e.rowsTotal ?? '?'}`],
    ['Throughput', e.throughput ? `${Math.round(e.throughput)} rows/s` : null],
    [
      'Batch latency',
      latency?.p50Ms !== undefined
        ? `p50 ${num(latency.p50Ms, 1)} ms, p95 ${num(latency.p95Ms, 1)} ms, p99 ${num(latency.p99Ms, 1)} ms`
        : null,
    ],
    ['Started', formatTime(e.startedAt)],
    ['Finished', formatTime(e.finishedAt)],
    ['Error', e.error],
  ]);
  // Metrics are JSON in the schema; their shape is the registry's (libs/domain).
  const m = e.metrics as EvaluationMetrics | null;
  if (!m) return head;
  if (m.kind === 'regression') {
    return (
      head +
      section(
        'Metrics',
        fields([
          ['MAE', num(m.mae)],
          ['RMSE', num(m.rmse)],
          ['R²', num(m.r2)],
        ]),
      )
    );
  }
  const topK = Object.entries(m.topK ?? {}).map(([k, v]) => [`Top-${k} accuracy`, num(v)] as const);
  let out =
    head +
    section(
      'Metrics',
      fields([
        ['Accuracy', num(m.accuracy)],
        ['Macro F1', num(m.macroF1)],
        ['Weighted F1', num(m.weightedF1)],
        ['Log-loss', num(m.logLoss)],
        ['ECE', num(m.ece)],
        ...topK,
      ]),
    );
  const perClass = m.perClass ?? [];
  out += section(
    'Per class',
    table(
      ['class', 'precision', 'recall', 'f1', 'support'],
      perClass.map((c) => [c.label, num(c.precision), num(c.recall), num(c.f1), c.support]),
    ),
  );
  const matrix = m.confusionMatrix ?? [];
  if (matrix.length > 0 && matrix.length <= MAX_MATRIX_CLASSES) {
    const labels = perClass.map((c) => c.label);
    out += section(
      'Confusion matrix (rows: actual, columns: predicted)',
      table(
        ['', ...labels],
        matrix.map((row, i) => [labels[i], ...row]),
      ),
    );
  } else if (matrix.length > MAX_MATRIX_CLASSES) {
    out += section('Confusion matrix', `${matrix.length} classes: see --json`);
  }
  return out;
}

const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '-' : ''}${Math.abs(x).toFixed(4)}`;
const verdict = (d: MetricDelta) => (d.delta === 0 ? 'same' : d.improved ? 'better' : 'worse');
const sideLine = (e: EvaluationDetail) =>
  `${e.modelVersion.model.name}@${e.modelVersion.version} on ${e.datasetVersion.dataset.name}@${e.datasetVersion.version}  (evaluation ${e.id})`;

/** Two evaluations side by side: b − a per metric, then per class (F1, precision, recall). */
export function renderComparison(c: EvaluationComparison): string {
  const head = fields([
    ['a', sideLine(c.a)],
    ['b', sideLine(c.b)],
  ]);
  const datasets = [c.a, c.b].map((e) => `${e.datasetVersion.dataset.name}@${e.datasetVersion.version}`);
  const note =
    datasets[0] === datasets[1] ? '' : `\nNote: graded on different dataset versions (${datasets.join(' and ')}).`;
  let out =
    head +
    note +
    section(
      'Metrics (b − a)',
      table(
        ['metric', 'a', 'b', 'delta', 'b is'],
        c.metrics.map((m) => [m.metric, num(m.a), num(m.b), signed(m.delta), verdict(m)]),
      ),
    );
  if (c.perClass.length > 0) {
    out += section(
      'Per class (b − a)',
      table(
        ['class', 'f1 a', 'f1 b', 'f1 delta', 'precision delta', 'recall delta'],
        c.perClass.map((k) => [
          k.label,
          num(k.f1.a),
          num(k.f1.b),
          signed(k.f1.delta),
          signed(k.precision.delta),
          signed(k.recall.delta),
        ]),
      ),
    );
  }
  return out;
}
