import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowBundleOptions } from '@fledge/workflows/bundle';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where `npm run build` writes the bundle: next to the compiled worker (dist/). */
export const PREBUILT_BUNDLE_FILE = 'workflow-bundle.js';

/**
 * Bundles the workflows (from their TypeScript sources, see workflowBundleOptions); webpack's
 * report is logged only when something is wrong.
 */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger('WARN') });
}

/** The prebuilt bundle beside this module (a production build), if there is one. */
export function prebuiltBundlePath(): string | undefined {
  const file = path.join(here, PREBUILT_BUNDLE_FILE);
  return existsSync(file) ? file : undefined;
}
