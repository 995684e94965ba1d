import {
  AbortRolloutDocument,
  EndpointDetailDocument,
  PromoteDocument,
  RaiseAlarmDocument,
  readRolloutEvents,
  RolloutStateDocument,
  type FledgeClient,
} from '@fledge/client';
import { type Page } from '@playwright/test';

import { expectAccessible, expect, recordFigure, screenshot, signIn, test } from '../support/console-test.js';

// Endpoints and rollouts, live: the endpoint's traffic charts, a rollout waiting for approval that
// an engineer approves in the page, a canary an alarm rolls back, and what a viewer may not do.
// The rollouts run for real (api, worker and serving processes; Temporal in real time).
const policy = (overrides: Record<string, unknown>) => ({
  gate: { maxAccuracyDrop: null },
  shadow: { enabled: false },
  // Windows that always pass: these scenarios are about the page, and the candidate version may be
  // the slow one (the latency test would roll it back by itself before the alarm does).
  slo: {
    maxP99LatencyRatio: null,
    maxP99LatencyMs: 5000,
    minLatencyShiftMs: 4000,
    maxErrorRate: 1,
    minSamples: 1,
    windowSeconds: 3,
  },
  checkIntervalSeconds: 1,
  maxSampleWaitSeconds: 120,
  ...overrides,
});

const actionButtons = ['Approve', 'Pause', 'Resume', 'Abort'];

/** Fails the test if the page reloads or navigates away from here on. */
async function expectNoReload(page: Page): Promise<() => Promise<void>> {
  await page.evaluate(() => ((globalThis as unknown as { __fledgeSamePage: boolean }).__fledgeSamePage = true));
  return async () => {
    expect(await page.evaluate(() => (globalThis as unknown as { __fledgeSamePage?: boolean }).__fledgeSamePage)).toBe(
      true,
    );
  };
}

/** When the page first showed each rollout event (marks the rollout page leaves), by seq. */
async function eventsSeenInPage(page: Page): Promise<Map<number, { seen: number; at: number }>> {
  const marks = await page.evaluate(() =>
    performance
      .getEntriesByType('mark')
      .filter((m) => m.name.startsWith('fledge:rollout-event:'))
      .map((m) => ({
        seq: Number(m.name.split(':').pop()),
        seen: performance.timeOrigin + m.startTime,
        at: (m as unknown as { detail: { at: string } }).detail.at,
      })),
  );
  return new Map(marks.map((m) => [m.seq, { seen: m.seen, at: Date.parse(m.at) }]));
}

/**
 * When each event of a rollout first became readable through the API: a client polling as fast
 * as the API answers (events are written by the worker some time after the workflow decides them).
 */
function watchEventsInApi(client: FledgeClient, id: string) {
  const firstSeen = new Map<number, number>();
  let running = true;
  let cursor: string | null = null;
  const loop = (async () => {
    while (running) {
      const read = await readRolloutEvents(client, id, { after: cursor });
      cursor = read.cursor;
      const now = Date.now();
      for (const e of read.events) if (!firstSeen.has(e.seq)) firstSeen.set(e.seq, now);
    }
  })();
  return {
    firstSeen,
    async stop() {
      running = false;
      await loop;
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The version serving 100% now (rollouts below promote others, so the suite can run again). */
async function primaryVersion(client: FledgeClient, endpoint: string): Promise<number> {
  const { endpoint: found } = await client.request(EndpointDetailDocument, { name: endpoint });
  const primary = found?.variants.find((v) => v.role === 'primary' && v.weight === 100);
  if (!primary) throw new Error(`${endpoint} has no single primary: ${JSON.stringify(found?.variants)}`);
  return primary.version;
}
const nextVersion = (version: number) => (version % 3) + 1;

test.describe.serial('endpoints and rollouts', () => {
  test.beforeAll(async ({ fledge, api }) => {
    // A rollout left running by an interrupted earlier run is stopped first.
    const engineer = api('engineer');
    const { endpoint } = await engineer.request(EndpointDetailDocument, { name: fledge.endpoint });
    const active = endpoint?.activeRollout;
    if (!active) return;
    await engineer.request(AbortRolloutDocument, { input: { endpoint: fledge.endpoint, reason: 'left over' } });
    for (;;) {
      const { rollout } = await engineer.request(RolloutStateDocument, { id: active.id });
      if (['SUCCEEDED', 'REJECTED', 'ROLLED_BACK', 'ABORTED', 'FAILED'].includes(rollout.state)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  test('shows the endpoint: traffic split and live per-variant charts', async ({ page, fledge, api }) => {
    const serving = `${fledge.model}-v${await primaryVersion(api(), fledge.endpoint)}`;
    await signIn(page, fledge.keys.engineer);
    await page.getByRole('link', { name: 'Endpoints' }).click();
    await page.getByRole('link', { name: fledge.endpoint }).click();
    await expect(page.getByRole('heading', { level: 1, name: fledge.endpoint })).toBeVisible();
    await expect(page.getByText(`${serving} primary: 100% of traffic`)).toBeVisible();
    const latest = page.getByRole('table', { name: 'Latest window' });
    await expect(latest.getByRole('row', { name: new RegExp(serving) })).toBeVisible();
    const rps = Number(
      await latest
        .getByRole('row', { name: new RegExp(`${fledge.model}-v1`) })
        .getByRole('cell')
        .nth(1)
        .innerText(),
    );
    expect(rps).toBeGreaterThan(5);
    for (const chart of ['Requests per second', 'Latency p50 and p99', 'Error rate']) {
      await expect(page.getByRole('img', { name: new RegExp(`^${chart}`) })).toBeVisible();
    }
    // Points accumulate while the page stays open (polled every 2 s).
    await expect(page.getByRole('img', { name: /^Requests per second/ })).not.toHaveAttribute(
      'aria-label',
      /no data yet/,
    );
    await expectAccessible(page, 'endpoint');
    await screenshot(page, 'endpoint');
  });

  test('follows a rollout to its manual gate; Approve in the page takes it to SUCCEEDED without a reload', async ({
    page,
    fledge,
    api,
  }) => {
    const candidate = nextVersion(await primaryVersion(api(), fledge.endpoint));
    await signIn(page, fledge.keys.engineer);
    const opened = Date.now();
    const { promote } = await api('engineer').request(PromoteDocument, {
      input: {
        endpoint: fledge.endpoint,
        model: fledge.model,
        version: candidate,
        policy: policy({
          canary: { steps: [{ weight: 50, bakeSeconds: 3 }] },
          promote: { bakeSeconds: 2, requireApproval: true },
        }),
      },
    });
    const inApi = watchEventsInApi(api('viewer'), promote.id);
    await page.goto(`/rollouts/${promote.id}`);
    const sameDocument = await expectNoReload(page);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(
      `${fledge.model} v${candidate} to ${fledge.endpoint}`,
    );

    const timeline = page.getByRole('list', { name: 'Rollout stages' });
    await expect(page.getByText('AWAITING APPROVAL', { exact: true })).toBeVisible({ timeout: 90_000 });
    await expect(timeline.getByRole('listitem').filter({ hasText: 'Approval' })).toContainText('waiting for approval');
    await expect(timeline.getByRole('listitem').filter({ hasText: 'Offline gate' })).toContainText('done');
    await expect(timeline.getByRole('listitem').filter({ hasText: 'Canary 1 (50%)' })).toContainText('done');
    await expect(page.getByRole('img', { name: /^Traffic weights/ })).toBeVisible();
    await expect(page.getByRole('img', { name: /^SLO check p99LatencyMs: measured vs limit/ })).toBeVisible();
    await expectAccessible(page, 'rollout awaiting approval');
    await screenshot(page, 'rollout-awaiting-approval');

    await page.getByRole('button', { name: 'Approve' }).click();
    await expect(page.locator('.rollout-state')).toContainText('SUCCEEDED', { timeout: 90_000 });
    await expect(timeline.getByRole('listitem').last()).toContainText('Succeeded: full traffic');
    const signals = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Signal' }) });
    await expect(signals.getByRole('row', { name: /approve/ })).toContainText(fledge.keyNames.engineer);
    await expect(page.getByText(`${fledge.model}-v${candidate} primary: 100% of traffic`)).toBeVisible();
    await sameDocument();
    await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    await screenshot(page, 'rollout-succeeded');

    // The goal: a new event shows within 2 s of becoming readable through the API (median over
    // the rollout's events). The delay from the workflow's own event time is recorded too.
    await inApi.stop();
    const shown = [...(await eventsSeenInPage(page)).entries()].filter(([, e]) => e.at > opened);
    // Only events that appeared while the page was open (not those its first load found).
    const pageOpen = Math.min(...shown.map(([, e]) => e.seen));
    const fromApi = shown
      .filter(([seq]) => (inApi.firstSeen.get(seq) ?? 0) > pageOpen)
      .map(([seq, e]) => e.seen - inApi.firstSeen.get(seq)!);
    const fromWorkflow = shown.map(([, e]) => e.seen - e.at);
    expect(fromApi.length).toBeGreaterThan(5);
    const figures = {
      events: fromApi.length,
      medianAfterReadableMs: median(fromApi),
      maxAfterReadableMs: Math.max(...fromApi),
      medianAfterWorkflowTimeMs: median(fromWorkflow),
      maxAfterWorkflowTimeMs: Math.max(...fromWorkflow),
    };
    recordFigure('rolloutEventDelay', figures);
    console.log(
      `rollout page: events shown after readable in the API ${fromApi.map((d) => d.toFixed(0)).join(', ')} ms`,
    );
    console.log(
      `rollout page: events shown after their workflow time ${fromWorkflow.map((d) => d.toFixed(0)).join(', ')} ms`,
    );
    expect(figures.medianAfterReadableMs).toBeLessThanOrEqual(2000);
  });

  test('an alarm rolls the canary back: the timeline shows the rollback and its cause; viewers see no actions', async ({
    page,
    browser,
    fledge,
    api,
  }) => {
    const baseline = await primaryVersion(api(), fledge.endpoint);
    await signIn(page, fledge.keys.engineer);
    const { promote } = await api('engineer').request(PromoteDocument, {
      input: {
        endpoint: fledge.endpoint,
        model: fledge.model,
        version: nextVersion(baseline),
        policy: policy({ canary: { steps: [{ weight: 50, bakeSeconds: 600 }] } }),
      },
    });
    await page.goto(`/rollouts/${promote.id}`);
    const sameDocument = await expectNoReload(page);
    const timeline = page.getByRole('list', { name: 'Rollout stages' });
    await expect(timeline.getByRole('listitem').filter({ hasText: 'Canary 1 (50%)' })).toContainText('in progress', {
      timeout: 90_000,
    });
    for (const name of actionButtons.filter((b) => b !== 'Resume')) {
      await expect(page.getByRole('button', { name })).toBeVisible();
    }

    // The same page for a viewer key: everything but the actions.
    const viewerContext = await browser.newContext({ baseURL: fledge.apiUrl });
    const viewer = await viewerContext.newPage();
    await signIn(viewer, fledge.keys.viewer);
    await viewer.goto(`/rollouts/${promote.id}`);
    await expect(viewer.getByRole('list', { name: 'Rollout stages' })).toContainText('Canary 1 (50%)');
    await expect(viewer.getByRole('group', { name: 'Rollout actions' })).toHaveCount(0);
    for (const name of actionButtons) await expect(viewer.getByRole('button', { name })).toHaveCount(0);
    await expectAccessible(viewer, 'rollout as a viewer');
    await screenshot(viewer, 'rollout-canary-viewer');
    await viewerContext.close();

    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByText('PAUSED', { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(page.getByText('PAUSED', { exact: true })).toHaveCount(0);

    await api('engineer').request(RaiseAlarmDocument, {
      input: { endpoint: fledge.endpoint, name: 'HighErrorRate', summary: 'error budget burning' },
    });
    await expect(page.locator('.rollout-state')).toContainText('ROLLED BACK', { timeout: 90_000 });
    const { rollout } = await api().request(RolloutStateDocument, { id: promote.id });
    expect(rollout.state).toBe('ROLLED_BACK');
    await expect(timeline.getByRole('listitem').filter({ hasText: 'Canary 1 (50%)' })).toContainText('failed');
    const last = timeline.getByRole('listitem').last();
    await expect(last).toContainText('Rolled back');
    await expect(last).toContainText('HighErrorRate');
    const signals = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Signal' }) });
    await expect(signals.getByRole('row', { name: /alarm/ })).toContainText('HighErrorRate');
    await expect(signals.getByRole('row', { name: /pause/ })).toContainText(fledge.keyNames.engineer);
    await expect(page.getByText(`${fledge.model}-v${baseline} primary: 100% of traffic`)).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: 'rollback.completed' })).toBeVisible();
    await sameDocument();
    await expectAccessible(page, 'rolled back rollout');
    await screenshot(page, 'rollout-rolled-back');
  });
});
