import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  bundleWorkflowCode,
  DefaultLogger,
  type BundleOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';

const here = path.dirname(fileURLToPath(import.meta.url));
// src/ and dist/ both sit two levels below the repository root.
const repoRoot = path.resolve(here, '../../..');

/** Where `npm run build` writes the bundle: next to the compiled worker (dist/). */
export const PREBUILT_BUNDLE_FILE = 'workflow-bundle.js';

/**
 * The workflows and the workflow-safe libraries they import are bundled from their TypeScript
 * sources (`@fledge/domain` and `@fledge/errors` aliased to `libs/<name>/src/index.ts`), so the
 * bundle never depends on other projects' build output and dev, tests and production bundle the
 * same code.
 */
export function workflowBundleOptions(): BundleOptions {
  const alias = (name: string) => path.join(repoRoot, 'libs', name, 'src', 'index.ts');
  return {
    workflowsPath: path.join(repoRoot, 'workflows', 'src', 'workflows', 'index.ts'),
    webpackConfigHook: (config) => ({
      ...config,
      resolve: {
        ...config.resolve,
        alias: {
          ...(config.resolve?.alias as Record<string, string | false>),
          '@fledge/domain$': alias('domain'),
          '@fledge/errors$': alias('errors'),
        },
      },
    }),
  };
}

/** Bundles the workflows; webpack's report is logged only when something is wrong. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger('WARN') });
}

/** The prebuilt bundle beside this module (a production build), if there is one. */
export function prebuiltBundlePath(): string | undefined {
  const file = path.join(here, PREBUILT_BUNDLE_FILE);
  return existsSync(file) ? file : undefined;
}
