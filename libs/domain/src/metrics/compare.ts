import { type ClassificationMetrics } from './classification.js';
import { type RegressionMetrics } from './regression.js';

export type EvaluationMetrics = ClassificationMetrics | RegressionMetrics;

export interface MetricDelta {
  metric: string;
  a: number;
  b: number;
  /** b − a */
  delta: number;
  /** Whether b is better than a, given the metric's direction. */
  improved: boolean;
}

export interface ClassDelta {
  label: string;
  f1: MetricDelta;
  precision: MetricDelta;
  recall: MetricDelta;
}

export interface MetricsComparison {
  metrics: MetricDelta[];
  perClass: ClassDelta[];
}

const lowerIsBetter = new Set(['logLoss', 'ece', 'mae', 'rmse']);

function delta(metric: string, a: number, b: number): MetricDelta {
  const d = b - a;
  return { metric, a, b, delta: d, improved: lowerIsBetter.has(metric) ? d < 0 : d > 0 };
}

/** Compares two evaluations of the same kind: per-metric and per-class deltas (b relative to a). */
export function compareMetrics(a: EvaluationMetrics, b: EvaluationMetrics): MetricsComparison {
  if (a.kind !== b.kind) throw new RangeError(`cannot compare ${a.kind} metrics with ${b.kind} metrics`);
  if (a.kind === 'regression' && b.kind === 'regression') {
    return { metrics: (['mae', 'rmse', 'r2'] as const).map((m) => delta(m, a[m], b[m])), perClass: [] };
  }
  const ca = a as ClassificationMetrics;
  const cb = b as ClassificationMetrics;
  const scalar = ['accuracy', 'macroF1', 'weightedF1', 'macroPrecision', 'macroRecall', 'logLoss', 'ece'] as const;
  const metrics = scalar.map((m) => delta(m, ca[m], cb[m]));
  for (const k of Object.keys(ca.topK))
    if (k in cb.topK) metrics.push(delta(`top${k}Accuracy`, ca.topK[k], cb.topK[k]));
  const byLabel = new Map(cb.perClass.map((m) => [m.label, m]));
  const perClass: ClassDelta[] = [];
  for (const m of ca.perClass) {
    const other = byLabel.get(m.label);
    if (!other) continue;
    perClass.push({
      label: m.label,
      f1: delta('f1', m.f1, other.f1),
      precision: delta('precision', m.precision, other.precision),
      recall: delta('recall', m.recall, other.recall),
    });
  }
  return { metrics, perClass };
}
