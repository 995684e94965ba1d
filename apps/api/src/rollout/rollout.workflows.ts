import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { FledgeError } from '@fledge/errors';
import {
  abortSignal,
  alarmSignal,
  approveSignal,
  FledgeEndpointAttribute,
  FledgeModelAttribute,
  FledgeModelVersionAttribute,
  FledgeRolloutStateAttribute,
  pauseSignal,
  resumeSignal,
  ROLLOUT_WORKFLOW_TYPE,
  rolloutWorkflowId,
  statusQuery,
  type AbortSignal,
  type AlarmSignal,
  type ApproveSignal,
  type OperatorSignal,
  type RolloutInput,
  type RolloutStatus,
} from '@fledge/workflows';

export type RolloutSignal =
  | { kind: 'abort'; arg: AbortSignal }
  | { kind: 'alarm'; arg: AlarmSignal }
  | { kind: 'approve'; arg: ApproveSignal }
  | { kind: 'pause'; arg: OperatorSignal }
  | { kind: 'resume'; arg: OperatorSignal };

/** The API's adapter to the rollout workflow on Temporal: start, signal, query. */
export class RolloutWorkflows {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Starts `rollout:<endpoint>`; one already running is a CONFLICT (at most one rollout per endpoint). */
  async start(input: RolloutInput): Promise<string> {
    const workflowId = rolloutWorkflowId(input.endpoint.name);
    try {
      await this.client.workflow.start(ROLLOUT_WORKFLOW_TYPE, {
        taskQueue: this.taskQueue,
        workflowId,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        typedSearchAttributes: [
          { key: FledgeEndpointAttribute, value: input.endpoint.name },
          { key: FledgeModelAttribute, value: input.candidate.modelName },
          { key: FledgeModelVersionAttribute, value: input.candidate.version },
          { key: FledgeRolloutStateAttribute, value: 'PENDING' },
        ],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw new FledgeError('CONFLICT', `endpoint ${input.endpoint.name} already has a rollout running`, {
          reason: 'ROLLOUT_ALREADY_ACTIVE',
          cause: error,
        });
      }
      throw unavailable(error);
    }
    return workflowId;
  }

  /**
   * Waits until the endpoint's rollout workflow has closed (a finished rollout may still be cleaning
   * up after its registry state became terminal). Returns false on timeout.
   */
  async waitUntilClosed(endpointName: string, timeoutMs: number): Promise<boolean> {
    const handle = this.client.workflow.getHandle(rolloutWorkflowId(endpointName));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const { status } = await handle.describe();
        if (status.name !== 'RUNNING') return true;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return true;
        throw unavailable(error);
      }
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async signal(endpointName: string, signal: RolloutSignal): Promise<void> {
    const handle = this.client.workflow.getHandle(rolloutWorkflowId(endpointName));
    try {
      switch (signal.kind) {
        case 'abort':
          return await handle.signal(abortSignal, signal.arg);
        case 'alarm':
          return await handle.signal(alarmSignal, signal.arg);
        case 'approve':
          return await handle.signal(approveSignal, signal.arg);
        case 'pause':
          return await handle.signal(pauseSignal, signal.arg);
        case 'resume':
          return await handle.signal(resumeSignal, signal.arg);
      }
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        throw new FledgeError('FAILED_PRECONDITION', `endpoint ${endpointName} has no running rollout`, {
          reason: 'NO_ACTIVE_ROLLOUT',
          cause: error,
        });
      }
      throw unavailable(error);
    }
  }

  /** The live status of the endpoint's running rollout, or null when none runs. */
  async status(endpointName: string): Promise<RolloutStatus | null> {
    try {
      return await this.client.workflow.getHandle(rolloutWorkflowId(endpointName)).query(statusQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw unavailable(error);
    }
  }
}

function unavailable(error: unknown): unknown {
  if (error instanceof FledgeError) return error;
  return new FledgeError('UNAVAILABLE', `the workflow engine did not answer: ${(error as Error).message}`, {
    reason: 'TEMPORAL_UNAVAILABLE',
    cause: error,
  });
}
