import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowBundleOptions } from '@fledge/workflows/bundle';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where `npm run build` writes the bundle: next to the compiled worker (dist/). */
export const PREBUILT_BUNDLE_FILE = 'workflow-bundle.js';

const INLINE_SOURCE_MAP = '//# sourceMappingURL=data:';
const BASE64 = 'base64,';

/**
 * Bundles the workflows (from their TypeScript sources, see workflowBundleOptions); webpack's
 * report is logged only when something is wrong.
 */
export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  const bundle = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger('WARN') });
  return { ...bundle, code: withoutSourcesContent(bundle.code) };
}

/**
 * The bundle with its inline source map stripped of `sourcesContent` (every bundled file's source
 * again, 1.5 of the bundle's 4.2 MB). The worker keeps the code and the parsed map in its main
 * thread and again in each workflow thread, so the copy costs resident memory twice for the life
 * of the process (measured by bench:footprint). Stack traces keep their original file, line and
 * column (the mappings stay); only the Temporal UI's stack-trace view loses the source lines. The
 * SDK requires an inline map, so the map itself stays.
 */
export function withoutSourcesContent(code: string): string {
  // Found as the SDK finds it (the last inline map; its data follows `base64,`).
  const at = code.lastIndexOf(INLINE_SOURCE_MAP);
  const data = at < 0 ? -1 : code.indexOf(BASE64, at);
  if (data < 0) return code;
  const map = JSON.parse(Buffer.from(code.slice(data + BASE64.length).trimEnd(), 'base64').toString()) as {
    sourcesContent?: unknown;
  };
  delete map.sourcesContent;
  return `${code.slice(0, data + BASE64.length)}${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

/** The prebuilt bundle beside this module (a production build), if there is one. */
export function prebuiltBundlePath(): string | undefined {
  const file = path.join(here, PREBUILT_BUNDLE_FILE);
  return existsSync(file) ? file : undefined;
}
