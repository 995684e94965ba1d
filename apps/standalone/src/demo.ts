// `npm run demo`: the embedded-mode demo against a running Fledge (scripts/up runs it once Fledge
// is up). FLEDGE_API_URL (default http://127.0.0.1:4000/graphql) and FLEDGE_API_KEY (an engineer
// or admin key; without it the admin key file .fledge/admin-key that scripts/up writes is used).
import { readFile } from 'node:fs/promises';

import { bootConfig, loadCliConfig } from '@fledge/config';

import { runDemo } from './demo/demo-runner.js';

const config = bootConfig(loadCliConfig);
const apiKey = config.api.apiKey?.reveal() ?? (await readFile('.fledge/admin-key', 'utf8').catch(() => '')).trim();
if (!apiKey) {
  console.error('demo: set FLEDGE_API_KEY (or run from the repository root after scripts/up wrote .fledge/admin-key)');
  process.exit(2);
}

try {
  const summary = await runDemo({ apiUrl: config.api.url, apiKey });
  const expected =
    summary.outcomes.v1 === 'SUCCEEDED' && summary.outcomes.v2 === 'SUCCEEDED' && summary.outcomes.v3 === 'ROLLED_BACK';
  if (!expected || summary.failures > 0) {
    console.error('\ndemo: the run did not go as expected (see above)');
    process.exit(1);
  }
  console.log('\nDemo complete.');
} catch (error) {
  console.error(`\ndemo failed: ${(error as Error).message}`);
  process.exit(1);
}
