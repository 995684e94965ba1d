import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { bundleWorkflows, PREBUILT_BUNDLE_FILE } from './workflow-bundler.js';

// Build step (`npm run build` in apps/worker, after swc): writes dist/workflow-bundle.js, which
// the production worker loads instead of bundling at startup. A workflow import the bundler
// rejects fails the build here.
const outDir = path.resolve(process.argv[2] ?? 'dist');
const { code } = await bundleWorkflows();
await writeFile(path.join(outDir, PREBUILT_BUNDLE_FILE), code);
console.log(`wrote ${path.join(path.relative(process.cwd(), outDir), PREBUILT_BUNDLE_FILE)} (${code.length} bytes)`);
