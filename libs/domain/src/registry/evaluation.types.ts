import { type EvaluationMetrics } from '../metrics/compare.js';

export type EvaluationStatus = 'pending' | 'running' | 'succeeded' | 'failed';

/** A model version graded on a dataset version (see the grading workflow). */
export interface EvaluationRecord {
  id: string;
  modelVersionId: string;
  datasetVersionId: string;
  status: EvaluationStatus;
  metrics: EvaluationMetrics | null;
  rowsDone: number;
  rowsTotal: number | null;
  /** Rows per second of grading time. */
  throughput: number | null;
  /** Batch latency percentiles (ms) and run facts (attempts, resume offset, rows graded). */
  latency: Record<string, unknown> | null;
  error: string | null;
  workflowId: string | null;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}
