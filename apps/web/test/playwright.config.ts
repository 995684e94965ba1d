// Browser tests of the web console: Playwright's runner driving Debian's Chromium (its own browser
// download cannot work offline). The servers come from support/global-setup.ts on the test stack.
// Run: npx playwright test -c apps/web/test/playwright.config.ts (after the build and `source .stack/stack.env`).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { defineConfig } from '@playwright/test';

const here = path.dirname(fileURLToPath(import.meta.url));
export const resultsDir = path.resolve(here, '../../../.stack/test-results/web');

export default defineConfig({
  testDir: path.join(here, 'browser'),
  testMatch: '*.browser-spec.ts',
  outputDir: path.join(resultsDir, 'artifacts'),
  globalSetup: path.join(here, 'support/global-setup.ts'),
  // One browser at a time: the scenarios share one endpoint and its rollouts, in order.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['json', { outputFile: path.join(resultsDir, 'results.json') }]],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.FLEDGE_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
    viewport: { width: 1400, height: 1000 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
