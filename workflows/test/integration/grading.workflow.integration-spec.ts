import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { ApplicationFailure } from '@temporalio/common';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

import { startTimeSkipping } from '../support/time-skipping.js';
import {
  gradingWorkflowId,
  type GradeDatasetOutcome,
  type GradingActivities,
  type GradingInput,
} from '../../src/contracts/grading.contract.js';
import { gradingWorkflow } from '../../src/workflows/grading.workflow.js';

const outcome: GradeDatasetOutcome = {
  metrics: { kind: 'regression', rows: 10, mae: 0.5, rmse: 0.7, r2: 0.9 },
  rowsDone: 10,
  throughput: 100,
  latency: {
    count: 1,
    meanMs: 1,
    p50Ms: 1,
    p95Ms: 1,
    p99Ms: 1,
    maxMs: 1,
    run: { batchSize: 10, attempts: 1, resumedFromRow: 0, rowsGraded: 10, gradingMs: 100 },
  },
};

/** Activities typed by the contract, recording their calls; `grade` decides each attempt's fate. */
function fakeActivities(grade: (attempt: number) => Promise<GradeDatasetOutcome>) {
  const calls: string[] = [];
  let attempts = 0;
  const completed: GradeDatasetOutcome[] = [];
  const failed: string[] = [];
  const activities: GradingActivities = {
    async startEvaluation() {
      calls.push('startEvaluation');
      return { rowsTotal: 10 };
    },
    async gradeDataset() {
      calls.push('gradeDataset');
      return grade(++attempts);
    },
    async completeEvaluation({ outcome: o }) {
      calls.push('completeEvaluation');
      completed.push(o);
    },
    async failEvaluation({ error }) {
      calls.push('failEvaluation');
      failed.push(error);
    },
  };
  return { activities, calls, completed, failed };
}

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/grading-success.history.json');

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let runs = 0;

beforeAll(async () => {
  ({ env, workflowBundle } = await startTimeSkipping());
});

afterAll(async () => {
  await env?.teardown();
});

async function run(activities: GradingActivities) {
  const taskQueue = `grading-test-${++runs}`;
  const input: GradingInput = { evaluationId: `ev-${runs}`, modelVersionId: 'mv', datasetVersionId: `dv-${runs}` };
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
  const workflowId = gradingWorkflowId(input.modelVersionId, input.datasetVersionId);
  const result = await worker.runUntil(
    env.client.workflow.execute(gradingWorkflow, { workflowId, taskQueue, args: [input] }),
  );
  if (process.env.FLEDGE_RECORD_FIXTURES === '1' && runs === 1) {
    // Identities name the recording machine: the committed fixture must not.
    const history = JSON.parse(
      historyToJSON(await env.client.workflow.getHandle(workflowId).fetchHistory()),
      (key, value) => (key === 'identity' ? 'grading-test' : value),
    );
    await writeFile(fixture, `${JSON.stringify(history, null, 1)}\n`);
  }
  return result;
}

describe(gradingWorkflow.name, () => {
  it('marks the evaluation running, grades, records the outcome', async () => {
    const fake = fakeActivities(async () => outcome);
    const result = await run(fake.activities);
    expect(result).toEqual({ evaluationId: 'ev-1', status: 'succeeded' });
    expect(fake.calls).toEqual(['startEvaluation', 'gradeDataset', 'completeEvaluation']);
    expect(fake.completed).toEqual([outcome]);
  });

  it('retries a transient grading failure', async () => {
    const fake = fakeActivities(async (attempt) => {
      if (attempt === 1) throw new Error('connection reset');
      return outcome;
    });
    const result = await run(fake.activities);
    expect(result.status).toBe('succeeded');
    expect(fake.calls).toEqual(['startEvaluation', 'gradeDataset', 'gradeDataset', 'completeEvaluation']);
  });

  it('records a business failure once, with the activity’s own message', async () => {
    const fake = fakeActivities(async () => {
      throw ApplicationFailure.nonRetryable('row 3 (line 3): column pixels has 10 values', 'DATASET_ROW_INVALID');
    });
    const result = await run(fake.activities);
    expect(result).toMatchObject({ status: 'failed', error: 'row 3 (line 3): column pixels has 10 values' });
    expect(fake.calls).toEqual(['startEvaluation', 'gradeDataset', 'failEvaluation']);
    expect(fake.failed).toEqual(['row 3 (line 3): column pixels has 10 values']);
  });
});

describe('gradingWorkflow replay', () => {
  it('replays the recorded success history deterministically', async () => {
    const history = historyFromJSON(JSON.parse(await readFile(fixture, 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle }, history)).resolves.toBeUndefined();
  });
});
