import { type SearchAttributePair } from '@temporalio/common';

import {
  formatVersionRef,
  type ClassificationAccumulatorState,
  type EvaluationMetrics,
  type LatencySummary,
  type RegressionAccumulatorState,
} from '@fledge/domain';

import {
  FledgeDatasetAttribute,
  FledgeDatasetVersionAttribute,
  FledgeModelAttribute,
  FledgeModelVersionAttribute,
} from './search-attributes.js';

export const GRADING_WORKFLOW_TYPE = 'gradingWorkflow';

/**
 * One grading per (model version, dataset version): a second request while it runs joins it
 * (the API starts with the USE_EXISTING conflict policy).
 */
export function gradingWorkflowId(modelVersionId: string, datasetVersionId: string): string {
  return `grading:${modelVersionId}:${datasetVersionId}`;
}

export interface GradingInput {
  /** The Evaluation row the API created (status pending). */
  evaluationId: string;
  modelVersionId: string;
  datasetVersionId: string;
  /** Rows per ORT run; the worker's default when absent. */
  batchSize?: number;
  /** How long a silent grading attempt may go before it is retried (a killed worker). Default 15 s. */
  heartbeatTimeoutSeconds?: number;
}

/** What a grading grades, by the names operators search for. */
export interface GradingSubject {
  modelName: string;
  version: number;
  datasetName: string;
  datasetVersion: number;
}

/**
 * How every caller starts a grading: by the pair's id, joining one already running
 * (USE_EXISTING), and allowed again after a finished one (a failed evaluation is retried). The run
 * carries its model, version, dataset and dataset version as search attributes.
 */
export function gradingStartOptions(input: GradingInput, taskQueue: string, subject: GradingSubject) {
  const typedSearchAttributes: SearchAttributePair[] = [
    { key: FledgeModelAttribute, value: subject.modelName },
    { key: FledgeModelVersionAttribute, value: subject.version },
    { key: FledgeDatasetAttribute, value: subject.datasetName },
    { key: FledgeDatasetVersionAttribute, value: subject.datasetVersion },
  ];
  return {
    taskQueue,
    workflowId: gradingWorkflowId(input.modelVersionId, input.datasetVersionId),
    args: [input] as [GradingInput],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    workflowIdReusePolicy: 'ALLOW_DUPLICATE' as const,
    typedSearchAttributes,
    staticSummary: `grade ${formatVersionRef(subject.modelName, subject.version)} on ${formatVersionRef(subject.datasetName, subject.datasetVersion)}`,
  };
}

export interface GradingResult {
  evaluationId: string;
  status: 'succeeded' | 'failed';
  error?: string;
}

/** Run facts recorded beside the batch latencies: they show whether and where an attempt resumed. */
export interface GradingRunStats {
  batchSize: number;
  /** Attempts of the grading activity that graded at least one row. */
  attempts: number;
  /** The row offset the last attempt resumed after (0 when it started from the beginning). */
  resumedFromRow: number;
  /** Rows run through the model across all attempts: equals the row count when nothing was graded twice. */
  rowsGraded: number;
  /** Time spent grading, summed over attempts (throughput = rows / this). */
  gradingMs: number;
}

export interface GradeDatasetOutcome {
  metrics: EvaluationMetrics;
  rowsDone: number;
  /** Rows per second of grading time. */
  throughput: number;
  latency: LatencySummary & { run: GradingRunStats };
}

export type AccumulatorState = ClassificationAccumulatorState | RegressionAccumulatorState;

/** What `gradeDataset` heartbeats; a retried attempt reads it back and resumes after `lastRow`. */
export interface GradingHeartbeat {
  rowsDone: number;
  /** Data rows (1-based, consecutive) graded so far: the next attempt skips this many. */
  lastRow: number;
  state: AccumulatorState;
  attempts: number;
  rowsGraded: number;
  gradingMs: number;
}

/** Implemented by the worker (apps/worker/src/activities); workflows use it as a type only. */
export interface GradingActivities {
  startEvaluation(input: { evaluationId: string }): Promise<{ rowsTotal: number }>;
  gradeDataset(input: { evaluationId: string; batchSize?: number }): Promise<GradeDatasetOutcome>;
  completeEvaluation(input: { evaluationId: string; outcome: GradeDatasetOutcome }): Promise<void>;
  failEvaluation(input: { evaluationId: string; error: string }): Promise<void>;
}
