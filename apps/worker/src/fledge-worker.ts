import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';

import { bundleWorkflows, prebuiltBundlePath } from './workflow-bundler.js';

export interface FledgeWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** A prebuilt bundle file; default: dist/workflow-bundle.js when built, else bundled from source now. */
  workflowBundlePath?: string;
  maxConcurrentActivityTaskExecutions?: number;
  /** How long `shutdown()` lets running activities finish before cancelling them. */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
}

/**
 * A Temporal worker running every Fledge workflow and the given activities. The standalone worker
 * process (main.ts) and the all-in-one process both build theirs here; the caller runs it
 * (`await worker.run()`) and stops it with `worker.shutdown()`.
 */
export async function createFledgeWorker(options: FledgeWorkerOptions): Promise<Worker> {
  const codePath = options.workflowBundlePath ?? prebuiltBundlePath();
  const workflowBundle = codePath ? { codePath } : { code: (await bundleWorkflows()).code };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle,
    activities: options.activities,
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 4,
    shutdownGraceTime: options.shutdownGraceTime ?? '10 seconds',
  });
}

export { NativeConnection };
