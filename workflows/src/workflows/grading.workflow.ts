import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';

import { type GradingActivities, type GradingInput, type GradingResult } from '../contracts/grading.contract.js';

const bookkeeping = proxyActivities<GradingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/** The message a user should read: an activity's own failure, not Temporal's wrapper around it. */
function reasonOf(error: unknown): string {
  let cause: unknown = error;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure || cause instanceof Error) return cause.message;
  return String(cause);
}

/**
 * Grades a model version on a dataset version: marks the evaluation running, grades (one long,
 * heartbeating activity that resumes from its last heartbeat when retried), then records the
 * metrics, or the failure with its reason.
 */
export async function gradingWorkflow(input: GradingInput): Promise<GradingResult> {
  const { gradeDataset } = proxyActivities<GradingActivities>({
    startToCloseTimeout: '24 hours',
    heartbeatTimeout: `${input.heartbeatTimeoutSeconds ?? 15} seconds`,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
  });
  const { evaluationId } = input;
  await bookkeeping.startEvaluation({ evaluationId });
  let outcome;
  try {
    outcome = await gradeDataset({ evaluationId, batchSize: input.batchSize });
  } catch (error) {
    const reason = reasonOf(error);
    await bookkeeping.failEvaluation({ evaluationId, error: reason });
    return { evaluationId, status: 'failed', error: reason };
  }
  await bookkeeping.completeEvaluation({ evaluationId, outcome });
  return { evaluationId, status: 'succeeded' };
}
