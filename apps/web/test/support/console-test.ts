import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import { FledgeClient } from '@fledge/client';
import { expect, test as base, type Page } from '@playwright/test';

import { resultsDir } from '../playwright.config.js';
import { FIXTURE_ENV, type ConsoleFixture } from './console-fixture.js';

function readFixture(): ConsoleFixture {
  const file = process.env[FIXTURE_ENV];
  if (!file) throw new Error(`${FIXTURE_ENV} is not set: the browser tests run through their global setup`);
  return JSON.parse(readFileSync(file, 'utf8')) as ConsoleFixture;
}

type Role = keyof ConsoleFixture['keys'];

/** Playwright's test with the seeded stack: `fledge` (fixture) and `api(role)` (typed GraphQL client). */
export const test = base.extend<object, { fledge: ConsoleFixture; api: (role?: Role) => FledgeClient }>({
  // eslint-disable-next-line no-empty-pattern
  fledge: [async ({}, use) => use(readFixture()), { scope: 'worker' }],
  api: [
    async ({ fledge }, use) =>
      use((role: Role = 'admin') => new FledgeClient({ apiUrl: fledge.apiUrl, apiKey: fledge.keys[role] })),
    { scope: 'worker' },
  ],
  baseURL: async ({ fledge }, use) => use(fledge.apiUrl),
});

export { expect };

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, key: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** A full-page screenshot saved with the test results (.stack/test-results/web/screenshots). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(resultsDir, 'screenshots', `${name}.png`), fullPage: true });
}

/** axe-core over the page as it is: no serious or critical violations. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const severe = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  expect(severe, `accessibility violations on ${what}`).toEqual([]);
}

/** Figures measured by the tests, collected into one file with the results. */
export function recordFigure(name: string, value: unknown): void {
  const file = path.join(resultsDir, 'figures.json');
  let figures: Record<string, unknown> = {};
  try {
    figures = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // first figure of the run
  }
  figures[name] = value;
  writeFileSync(file, JSON.stringify(figures, null, 2));
}
