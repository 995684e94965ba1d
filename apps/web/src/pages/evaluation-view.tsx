import { type EvaluationFieldsFragment } from '@fledge/client';
import { Link } from 'react-router';

import { Badge } from '../components/Badge';
import { ConfusionMatrix, confusionOf } from '../components/ConfusionMatrix';
import { fmtDateTime, fmtMs, fmtNumber, fmtPercent, isRecord } from '../format';

export interface PerClassRow {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Headline metrics of an evaluation, in the order people read them. */
export const headlineMetrics = [
  'accuracy',
  'macroF1',
  'weightedF1',
  'macroPrecision',
  'macroRecall',
  'logLoss',
  'ece',
  'mae',
  'rmse',
  'r2',
];

export function perClassOf(metrics: unknown): PerClassRow[] {
  return isRecord(metrics) && Array.isArray(metrics.perClass) ? (metrics.perClass as PerClassRow[]) : [];
}

export function evaluationTitle(e: EvaluationFieldsFragment): string {
  return `${e.modelVersion.model.name} v${e.modelVersion.version} on ${e.datasetVersion.dataset.name}@${e.datasetVersion.version}`;
}

export function EvaluationSummary({ evaluation }: { evaluation: EvaluationFieldsFragment }) {
  const latency = isRecord(evaluation.latency) ? evaluation.latency : {};
  return (
    <dl className="facts">
      <div>
        <dt>Status</dt>
        <dd>
          <Badge value={evaluation.status} />
        </dd>
      </div>
      <div>
        <dt>Model</dt>
        <dd>
          <Link to={`/models/${encodeURIComponent(evaluation.modelVersion.model.name)}`}>
            {evaluation.modelVersion.model.name} v{evaluation.modelVersion.version}
          </Link>
        </dd>
      </div>
      <div>
        <dt>Dataset</dt>
        <dd>
          <Link to={`/datasets/${encodeURIComponent(evaluation.datasetVersion.dataset.name)}`}>
            {evaluation.datasetVersion.dataset.name}@{evaluation.datasetVersion.version}
          </Link>{' '}
          ({evaluation.datasetVersion.rowCount.toLocaleString()} rows)
        </dd>
      </div>
      <div>
        <dt>Rows graded</dt>
        <dd>
          {evaluation.rowsDone.toLocaleString()}
          {evaluation.rowsTotal ? ` of ${evaluation.rowsTotal.toLocaleString()}` : ''}
        </dd>
      </div>
      <div>
        <dt>Throughput</dt>
        <dd>{evaluation.throughput ? `${fmtNumber(evaluation.throughput, 0)} rows/s` : '—'}</dd>
      </div>
      <div>
        <dt>Batch latency p50 / p99</dt>
        <dd>
          {fmtMs(latency.p50Ms as number)} / {fmtMs(latency.p99Ms as number)}
        </dd>
      </div>
      <div>
        <dt>Finished</dt>
        <dd>{fmtDateTime(evaluation.finishedAt)}</dd>
      </div>
    </dl>
  );
}

export function MetricsTable({ metrics }: { metrics: unknown }) {
  if (!isRecord(metrics)) return <p className="muted">No metrics yet.</p>;
  const rows = headlineMetrics.filter((m) => typeof metrics[m] === 'number');
  const topK = isRecord(metrics.topK) ? Object.entries(metrics.topK) : [];
  return (
    <table className="data metrics">
      <caption>Metrics</caption>
      <tbody>
        {rows.map((m) => (
          <tr key={m}>
            <th scope="row">{m}</th>
            <td className="num">{isRate(m) ? fmtPercent(metrics[m] as number, 2) : fmtNumber(metrics[m])}</td>
          </tr>
        ))}
        {topK.map(([k, v]) => (
          <tr key={`top-${k}`}>
            <th scope="row">top-{k} accuracy</th>
            <td className="num">{fmtPercent(v as number, 2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export const isRate = (metric: string) => /accuracy|precision|recall|f1/i.test(metric);

export function PerClassTable({ metrics }: { metrics: unknown }) {
  const rows = perClassOf(metrics);
  if (!rows.length) return null;
  return (
    <div className="table-scroll">
      <table className="data">
        <caption>Per class</caption>
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col">Precision</th>
            <th scope="col">Recall</th>
            <th scope="col">F1</th>
            <th scope="col">Support</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td className="num">{fmtPercent(r.precision, 2)}</td>
              <td className="num">{fmtPercent(r.recall, 2)}</td>
              <td className="num">{fmtPercent(r.f1, 2)}</td>
              <td className="num">{r.support.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function EvaluationMatrix({ evaluation }: { evaluation: EvaluationFieldsFragment }) {
  const confusion = confusionOf(evaluation.metrics);
  if (!confusion) return null;
  return (
    <ConfusionMatrix
      matrix={confusion.matrix}
      labels={confusion.labels}
      caption={`Confusion matrix: ${evaluationTitle(evaluation)}`}
    />
  );
}
