import {
  type Client,
  isGrpcServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { formatVersionRef } from '@fledge/domain';
import { FledgeError } from '@fledge/errors';
import {
  abortSignal,
  alarmSignal,
  approveSignal,
  FledgeEndpointAttribute,
  FledgeModelAttribute,
  FledgeModelVersionAttribute,
  FledgeRolloutIdAttribute,
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

/** The endpoint's running rollout workflow: the rollout it runs (null when its run predates `FledgeRolloutId`). */
export interface RunningRollout {
  rolloutId: string | null;
}

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
          { key: FledgeRolloutIdAttribute, value: input.rolloutId },
        ],
        staticSummary: `${input.baseline ? 'promote' : 'deploy'} ${formatVersionRef(input.candidate.modelName, input.candidate.version)} on ${input.endpoint.name} (rollout ${input.rolloutId})`,
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
    let timer: NodeJS.Timeout | undefined;
    const closed = handle.result().then(
      () => true,
      (error: unknown) => {
        // A rollout that did not promote fails its run: closed all the same.
        if (error instanceof WorkflowFailedError || error instanceof WorkflowNotFoundError) return true;
        throw unavailable(error);
      },
    );
    // After a timeout nobody awaits the long poll; its late failure must not go unhandled.
    closed.catch(() => undefined);
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
    try {
      return await Promise.race([closed, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The endpoint's rollout workflow while it runs, or null when none runs. */
  async running(endpointName: string): Promise<RunningRollout | null> {
    try {
      const description = await this.client.workflow.getHandle(rolloutWorkflowId(endpointName)).describe();
      if (description.status.name !== 'RUNNING') return null;
      return { rolloutId: description.typedSearchAttributes.get(FledgeRolloutIdAttribute) ?? null };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw unavailable(error);
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

  /**
   * The live status of the endpoint's running rollout, or null when none runs. A query is answered
   * by a worker: with none polling the rollout's task queue, Temporal holds it until the caller's
   * deadline, so it is bounded here and says why instead of hanging the page that asked.
   */
  async status(endpointName: string): Promise<RolloutStatus | null> {
    const handle = this.client.workflow.getHandle(rolloutWorkflowId(endpointName));
    const deadline = Date.now() + STATUS_QUERY_DEADLINE_MS;
    try {
      return await this.client.withDeadline(deadline, () => handle.query(statusQuery));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      // The client reports its own deadline as DEADLINE_EXCEEDED. The server learns the deadline
      // from the call and may give up a little before it, with an error of its own: a failure
      // after (nearly) the whole wait is the same fact, no worker answered.
      if (isDeadlineExceeded(error) || Date.now() >= deadline - STATUS_QUERY_DEADLINE_MS / 10) {
        throw new FledgeError(
          'UNAVAILABLE',
          `the rollout on endpoint ${endpointName} did not answer its status query within ${STATUS_QUERY_DEADLINE_MS / 1000} s: no worker is processing it (is a Fledge worker running?)`,
          { reason: 'ROLLOUT_WORKER_UNAVAILABLE', cause: error },
        );
      }
      throw unavailable(error);
    }
  }
}

/** How long a live-status query may wait for a worker to answer (a busy worker answers in milliseconds). */
const STATUS_QUERY_DEADLINE_MS = 10_000;

/** gRPC DEADLINE_EXCEEDED, as the client reports its own deadline running out. */
function isDeadlineExceeded(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (isGrpcServiceError(e) && e.code === 4) return true;
  }
  return false;
}

function unavailable(error: unknown): unknown {
  if (error instanceof FledgeError) return error;
  return new FledgeError('UNAVAILABLE', `the workflow engine did not answer: ${(error as Error).message}`, {
    reason: 'TEMPORAL_UNAVAILABLE',
    cause: error,
  });
}
