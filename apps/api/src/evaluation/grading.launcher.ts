import { type Client } from '@temporalio/client';
import { FledgeError } from '@fledge/errors';
import { GRADING_WORKFLOW_TYPE, gradingStartOptions, type GradingInput, type GradingSubject } from '@fledge/workflows';

const START_DEADLINE_MS = 5_000;

/** Starts grading workflows on Temporal: the API's one adapter to the workflow engine for grading. */
export class GradingLauncher {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /**
   * Starts the pair's workflow, or joins the one already running for it (USE_EXISTING): repeated
   * and concurrent calls are safe. An unreachable Temporal is UNAVAILABLE (the evaluation stays
   * pending; evaluating the pair again starts it).
   */
  async start(input: GradingInput, subject: GradingSubject): Promise<string> {
    const options = gradingStartOptions(input, this.taskQueue, subject);
    const { workflowId } = options;
    try {
      await this.client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
        this.client.workflow.start(GRADING_WORKFLOW_TYPE, options),
      );
    } catch (error) {
      throw new FledgeError(
        'UNAVAILABLE',
        `the workflow engine did not start the grading: ${(error as Error).message}`,
        {
          reason: 'WORKFLOW_START_FAILED',
          cause: error,
        },
      );
    }
    return workflowId;
  }
}
