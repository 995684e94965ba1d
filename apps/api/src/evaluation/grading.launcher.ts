import { type Client } from '@temporalio/client';
import { GRADING_WORKFLOW_TYPE, gradingWorkflowId, type GradingInput } from '@fledge/workflows';

/** Starts grading workflows on Temporal: the API's one adapter to the workflow engine for grading. */
export class GradingLauncher {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /**
   * Starts the pair's workflow, or joins the one already running for it (USE_EXISTING): repeated
   * and concurrent calls are safe.
   */
  async start(input: GradingInput): Promise<string> {
    const workflowId = gradingWorkflowId(input.modelVersionId, input.datasetVersionId);
    await this.client.workflow.start(GRADING_WORKFLOW_TYPE, {
      taskQueue: this.taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    return workflowId;
  }
}
