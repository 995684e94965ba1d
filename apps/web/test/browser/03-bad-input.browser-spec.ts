import { randomUUID } from 'node:crypto';

import { CreateApiKeyDocument, RaiseAlarmDocument, RevokeApiKeyDocument } from '@fledge/client';

import { expectAccessible, expect, screenshot, signIn, test } from '../support/console-test.js';

// Alarms and the audit log (admin), and what the console does with bad input: an unreachable
// API, a GraphQL error, a rollout that does not exist, a revoked key.
test.describe('alarms, audit and bad input', () => {
  test('lists alarms, filterable by endpoint, state and source', async ({ page, fledge, api }) => {
    // Recorded only: no rollout is active on the endpoint now.
    await api('engineer').request(RaiseAlarmDocument, {
      input: { endpoint: fledge.endpoint, name: 'DiskPressure', summary: 'disk 91% full' },
    });
    await signIn(page, fledge.keys.viewer);
    await page.getByRole('link', { name: 'Alarms' }).click();
    const table = page.getByRole('table');
    await expect(table.getByRole('row', { name: /DiskPressure/ })).toContainText(fledge.endpoint);
    await expect(table.getByRole('row', { name: /DiskPressure/ })).toContainText('disk 91% full');
    await page.getByLabel('State').selectOption('RESOLVED');
    await expect(page.getByText('No alarms match.')).toBeVisible();
    await expect(page).toHaveURL(/state=RESOLVED/);
    await page.getByLabel('State').selectOption('FIRING');
    await page.getByLabel('Endpoint').fill(fledge.endpoint);
    await expect(table.getByRole('row', { name: /DiskPressure/ })).toBeVisible();
    await page.getByLabel('Source').fill('alertmanager');
    await expect(page.getByText('No alarms match.')).toBeVisible();
    await page.getByLabel('Source').fill('');
    await expect(table.getByRole('row', { name: /DiskPressure/ })).toBeVisible();
    await expectAccessible(page, 'alarms');
    await screenshot(page, 'alarms');
  });

  test('shows the audit log to admins only, filterable by actor', async ({ page, fledge }) => {
    await signIn(page, fledge.keys.viewer);
    await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, fledge.keys.admin);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Actor').fill(fledge.keyNames.engineer);
    await expect(page).toHaveURL(new RegExp(`actor=${fledge.keyNames.engineer}`));
    const actors = page.locator('table.data > tbody > tr > td:nth-child(2)');
    await expect(actors.first()).toHaveText(fledge.keyNames.engineer);
    await expect(
      page.locator('table.data > tbody > tr > td:nth-child(3)', { hasText: /^(rollout|alarm)\./ }).first(),
    ).toBeVisible();
    expect(new Set(await actors.allInnerTexts())).toEqual(new Set([fledge.keyNames.engineer]));
    await expectAccessible(page, 'audit log');
    await screenshot(page, 'audit');
  });

  test("shows the server's message for a GraphQL error, never a stack trace", async ({ page, fledge }) => {
    await signIn(page, fledge.keys.viewer);
    await page.goto('/alarms?endpoint=no-such-endpoint');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('endpoint no-such-endpoint does not exist');
    await expect(alert).toContainText('NOT_FOUND');
    await expect(alert).toContainText(/request id \S+/);
    await expect(page.locator('body')).not.toContainText(/\bat \S+ \(.*:\d+:\d+\)/);
    await screenshot(page, 'graphql-error');
  });

  test('shows a clear not-found page for a rollout that does not exist', async ({ page, fledge }) => {
    await signIn(page, fledge.keys.viewer);
    for (const id of [randomUUID(), 'not-a-rollout-id']) {
      await page.goto(`/rollouts/${id}`);
      await expect(page.getByRole('heading', { level: 1, name: 'Rollout not found' })).toBeVisible();
      await expect(page.getByText(`There is no rollout ${id}`)).toBeVisible();
    }
    await expectAccessible(page, 'rollout not found');
    await screenshot(page, 'rollout-not-found');
  });

  test('an unreachable API shows a banner and retries; the page stays usable', async ({ page, fledge }) => {
    await signIn(page, fledge.keys.viewer);
    // The network between the browser and the API fails (the API itself stays up).
    await page.route('**/graphql', (route) => route.abort('connectionrefused'));
    await page.getByRole('link', { name: 'Datasets' }).click();
    const banner = page.getByRole('alert').filter({ hasText: 'The Fledge API cannot be reached' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('Retrying automatically');
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();
    await expectAccessible(page, 'unreachable banner');
    await screenshot(page, 'api-unreachable');

    await page.unroute('**/graphql');
    await banner.getByRole('button', { name: 'Retry now' }).click();
    await expect(banner).toHaveCount(0);
    await expect(page.getByRole('link', { name: fledge.dataset })).toBeVisible();
  });

  test('a revoked key returns the user to sign-in with a message', async ({ page, fledge, api }) => {
    const { createApiKey } = await api().request(CreateApiKeyDocument, {
      input: { name: `console-${Date.now()}`, role: 'VIEWER' },
    });
    await signIn(page, createApiKey.secret);
    await page.getByRole('link', { name: 'Endpoints' }).click();
    await expect(page.getByRole('link', { name: fledge.endpoint })).toBeVisible();

    await api().request(RevokeApiKeyDocument, { id: createApiKey.apiKey.id });
    await page.getByRole('link', { name: 'Models' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByRole('status')).toContainText('revoked');
    expect(await page.evaluate(() => sessionStorage.getItem('fledge.apiKey'))).toBeNull();
    await screenshot(page, 'signed-out-revoked');
  });
});
