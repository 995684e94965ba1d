import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { type BundleOptions } from '@temporalio/worker';

// Tooling, not workflow code: it runs in the worker and in tests, never inside the workflow sandbox.
const workflowsRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const repoRoot = path.resolve(workflowsRoot, '..');

/**
 * Bundles the workflows from their TypeScript sources, with `@fledge/domain` and `@fledge/errors`
 * aliased to `libs/<name>/src/index.ts`: the bundle never depends on other projects' build output,
 * so dev, tests and production bundle the same code.
 */
export function workflowBundleOptions(): BundleOptions {
  const lib = (name: string) => path.join(repoRoot, 'libs', name, 'src', 'index.ts');
  return {
    workflowsPath: path.join(workflowsRoot, 'src', 'workflows', 'index.ts'),
    webpackConfigHook: (config) => ({
      ...config,
      resolve: {
        ...config.resolve,
        alias: {
          ...(config.resolve?.alias as Record<string, string | false>),
          '@fledge/domain$': lib('domain'),
          '@fledge/errors$': lib('errors'),
        },
      },
    }),
  };
}
