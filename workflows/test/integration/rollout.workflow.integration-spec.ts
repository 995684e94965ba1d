import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

import { resolveRolloutPolicy, type RolloutPolicyInput } from '@fledge/domain';

import { startTimeSkipping } from '../support/time-skipping.js';
import {
  abortSignal,
  alarmSignal,
  approveSignal,
  pauseSignal,
  resumeSignal,
  statusQuery,
  type RolloutInput,
  type RolloutResult,
  type RolloutStatus,
} from '../../src/contracts/rollout.contract.js';
import {
  FledgeEndpointAttribute,
  FledgeModelAttribute,
  FledgeModelVersionAttribute,
  FledgeRolloutIdAttribute,
  FledgeRolloutStateAttribute,
} from '../../src/contracts/search-attributes.js';
import { rolloutWorkflow } from '../../src/workflows/rollout.workflow.js';
import {
  accuracyMetrics,
  baselineRef,
  baselineVariant,
  candidateRef,
  candidateVariant,
  FakeRolloutActivities,
  healthyStats,
  latencyBins,
  windowStats,
} from '../support/fake-rollout-activities.js';

// A recorded success history, replayed against the current workflow code: a change that breaks
// running executions fails here and must go through `patched()`. Re-record only for a deliberate
// history change: FLEDGE_RECORD_FIXTURES=1 node scripts/jest.mjs workflows/test/integration/rollout \
//   --selectProjects integration -t promotes
const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/rollout-success.history.json');
// A rollout that opens itself, waits for its gradings on timers and is rejected, failing its run:
// replays the patched start, gate and outcome paths. Re-record with -t 'waits for running gradings'.
const gateFixture = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/rollout-gate-rejected.history.json',
);

// Shadow 20 s, two canary steps of 30 s, final bake 20 s, a check every 10 s over a 30 s window:
// short bakes keep the event count (and so the run time on the test server) small.
const policyInput: RolloutPolicyInput = {
  gate: { datasetVersionId: 'dv-1', minAccuracy: 0.9, maxAccuracyDrop: 0.01 },
  shadow: { enabled: true, sampleRate: 0.5, durationSeconds: 20, minSamples: 10, minAgreement: 0.9 },
  canary: {
    steps: [
      { weight: 10, bakeSeconds: 30 },
      { weight: 50, bakeSeconds: 30 },
    ],
  },
  slo: { maxP99LatencyMs: 50, maxP99LatencyRatio: 2, minSamples: 10, windowSeconds: 30 },
  checkIntervalSeconds: 10,
  maxSampleWaitSeconds: 40,
  promote: { bakeSeconds: 20, requireApproval: false },
};

function rolloutInput(overrides: Partial<RolloutInput> = {}, policy: RolloutPolicyInput = policyInput): RolloutInput {
  return {
    rolloutId: 'ro-1',
    endpoint: { id: 'ep-1', name: 'digits' },
    candidate: candidateRef,
    baseline: baselineRef,
    policy: resolveRolloutPolicy(policy),
    initiatedBy: 'engineer@example.com',
    ...overrides,
  };
}

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let runs = 0;

beforeAll(async () => {
  // Activity failures the tests provoke on purpose would otherwise be logged as warnings.
  ({ env, workflowBundle } = await startTimeSkipping('ERROR'));
});

afterAll(async () => {
  await env?.teardown();
});

interface Run {
  result: RolloutResult;
  handle: WorkflowHandleWithFirstExecutionRunId<typeof rolloutWorkflow>;
  status: RolloutStatus;
}

async function runRollout(fake: FakeRolloutActivities, input: RolloutInput = rolloutInput()): Promise<Run> {
  const taskQueue = `rollout-test-${++runs}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities: fake.activities(),
    identity: 'rollout-test-worker',
  });
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start(rolloutWorkflow, {
      workflowId: `rollout:${input.endpoint.name}:${runs}`,
      taskQueue,
      args: [input],
    });
    fake.workflowId = handle.workflowId;
    const result = await outcomeOf(handle);
    // Queries of a closed workflow replay it on a worker, so they run before this one stops.
    const status = await handle.query(statusQuery);
    return { result, handle, status };
  });
}

/**
 * The rollout's result: returned when it succeeded; a rollout that did not promote fails its run,
 * with the result as the failure's details.
 */
async function outcomeOf(handle: WorkflowHandle<typeof rolloutWorkflow>): Promise<RolloutResult> {
  try {
    return await handle.result();
  } catch (error) {
    const failure = error instanceof WorkflowFailedError ? error.cause : undefined;
    if (failure instanceof ApplicationFailure && failure.details?.length) return failure.details[0] as RolloutResult;
    throw error;
  }
}

function signalHandle(fake: FakeRolloutActivities): WorkflowHandle<typeof rolloutWorkflow> {
  return env.client.workflow.getHandle(fake.workflowId);
}

/**
 * Workflow time from one step's traffic change to the next one's: the timers make it exact up to
 * the few milliseconds the activities themselves take.
 */
function expectDuration(fake: FakeRolloutActivities, from: string, to: string, expectedMs: number): void {
  const ms = fake.appliedAt(to) - fake.appliedAt(from);
  expect(ms).toBeGreaterThanOrEqual(expectedMs);
  expect(ms).toBeLessThan(expectedMs + 2_000);
}

const trafficKeys = (fake: FakeRolloutActivities) =>
  fake.calls.filter((c) => c.name === 'applyTraffic').map((c) => (c.input as { stepKey: string }).stepKey);

describe('rolloutWorkflow', () => {
  it('bundles with the workflow-safe imports only', () => {
    // Every module webpack put in the bundle (`/***/ "./path"` headers): the workflows, the pure
    // domain and errors, Temporal's workflow runtime and the pure math the judge uses — never an
    // adapter (Prisma, AWS, ORT), a Node built-in or another app's code.
    const modules = [...workflowBundle.code.matchAll(/^\/\*\*\*\/ "([^"]+)"$/gm)].map((m) => m[1]);
    const allowed = [
      './workflows/src/',
      './libs/domain/src/',
      './libs/errors/src/',
      './node_modules/@temporalio/workflow/',
      './node_modules/@temporalio/common/',
      './node_modules/nexus-rpc/',
      './node_modules/ms/',
      './node_modules/@stdlib/',
    ];
    expect(modules).toContain('./workflows/src/workflows/rollout.workflow.ts');
    expect(modules).toContain('./libs/domain/src/slo/slo.ts');
    // `?xxxx` ids are webpack's empty stand-ins for ignored modules.
    expect(modules.filter((id) => !id.startsWith('?') && !allowed.some((prefix) => id.startsWith(prefix)))).toEqual([]);
  });

  it('promotes through shadow, canary steps and the final bake, recording every decision', async () => {
    const fake = new FakeRolloutActivities();
    const { result, handle, status } = await runRollout(fake);

    expect(result.state).toBe('SUCCEEDED');
    expect(fake.trafficChanges).toEqual(['shadow', 'canary-1', 'canary-2', 'promoting', 'final']);
    expect(result.variants).toEqual([
      { name: candidateVariant, modelVersionId: 'mv-2', role: 'primary', weight: 100, shadowSampleRate: 0 },
    ]);
    const names = fake.callNames();
    expect(names.indexOf('finalizePromotion')).toBeGreaterThan(names.lastIndexOf('applyTraffic'));
    expect(names).not.toContain('cleanupCandidate');
    expect(fake.states.map((s) => s.state)).toEqual(
      expect.arrayContaining(['GATING', 'SHADOW', 'CANARY', 'PROMOTING', 'SUCCEEDED']),
    );

    // Bakes ran on timers: each step lasted its bake, checked every interval.
    expectDuration(fake, 'shadow', 'canary-1', 20_000);
    expectDuration(fake, 'canary-1', 'canary-2', 30_000);
    expectDuration(fake, 'canary-2', 'promoting', 30_000);
    expectDuration(fake, 'promoting', 'final', 20_000);
    const windows = fake.eventsOf('slo.window');
    expect(windows.filter((w) => w.detail.stepKey === 'canary-1')).toHaveLength(3);
    expect(windows.every((w) => w.detail.verdict === 'pass')).toBe(true);

    const events = fake.eventList();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(fake.eventsOf('gate.evaluated')[0].detail.gate).toMatchObject({ passed: true });

    expect(status).toMatchObject({ state: 'SUCCEEDED', paused: false, awaitingApproval: false });
    expect(status.history?.map((h) => h.state)).toEqual([
      'GATING',
      'SHADOW',
      'CANARY',
      'CANARY',
      'PROMOTING',
      'SUCCEEDED',
    ]);
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
    const attributes = description.typedSearchAttributes;
    expect({
      endpoint: attributes.get(FledgeEndpointAttribute),
      model: attributes.get(FledgeModelAttribute),
      version: attributes.get(FledgeModelVersionAttribute),
      state: attributes.get(FledgeRolloutStateAttribute),
      rolloutId: attributes.get(FledgeRolloutIdAttribute),
    }).toEqual({ endpoint: 'digits', model: 'digits', version: 2, state: 'SUCCEEDED', rolloutId: 'ro-1' });

    if (process.env.FLEDGE_RECORD_FIXTURES === '1') {
      // Identities name the recording machine: the committed fixture must not.
      const history = JSON.parse(historyToJSON(await handle.fetchHistory()), (key, value) =>
        key === 'identity' ? 'rollout-test' : value,
      );
      await writeFile(fixture, `${JSON.stringify(history, null, 1)}\n`);
    }
  });
  it('rejects a candidate that fails the gate without touching traffic', async () => {
    const fake = new FakeRolloutActivities();
    fake.gate = {
      ...fake.gate,
      candidate: { evaluationId: 'ev-2', status: 'succeeded', metrics: accuracyMetrics(0.8) },
    };
    const { result } = await runRollout(fake);

    expect(result.state).toBe('REJECTED');
    expect(result.reason).toMatch(/minAccuracy: 0.8 < 0.9/);
    expect(fake.callNames()).not.toContain('applyTraffic');
    expect(fake.callNames()).not.toContain('readWindowStats');
    expect(fake.eventsOf('gate.evaluated')[0].detail.gate).toMatchObject({ passed: false });
    expect(fake.states.at(-1)).toMatchObject({ state: 'REJECTED', evidence: { gate: { passed: false } } });
  });

  it('rejects a candidate whose grading failed, and fails a rollout whose gate cannot be evaluated', async () => {
    const failedGrading = new FakeRolloutActivities();
    failedGrading.gate = {
      ...failedGrading.gate,
      candidate: { evaluationId: 'ev-2', status: 'failed', metrics: null, error: 'row 7: wrong dims' },
    };
    const rejected = await runRollout(failedGrading);
    expect(rejected.result.state).toBe('REJECTED');
    expect(rejected.result.reason).toMatch(/no completed evaluation.*row 7: wrong dims/);

    const broken = new FakeRolloutActivities();
    broken.onGrade = async () => {
      throw ApplicationFailure.nonRetryable('dataset version dv-1 does not exist', 'NotFound');
    };
    const failed = await runRollout(broken);
    expect(failed.result.state).toBe('FAILED');
    expect(failed.result.reason).toMatch(/gate could not be evaluated: dataset version dv-1 does not exist/);
    expect(broken.callNames()).not.toContain('applyTraffic');
  });

  it('rolls back from shadow when the candidate disagrees with the primary', async () => {
    const fake = new FakeRolloutActivities();
    fake.stats = ({ variants }) =>
      variants.map((v) =>
        v.role === 'shadow' ? windowStats(v.name, { shadowSamples: 400, agreement: 0.6 }) : windowStats(v.name),
      );
    const { result } = await runRollout(fake);

    expect(result.state).toBe('ROLLED_BACK');
    expect(result.cause).toMatchObject({ kind: 'slo', phase: 'shadow' });
    expect(result.reason).toMatch(/agreement 0.6 < 0.9/);
    expect(fake.trafficChanges).toEqual(['shadow', 'rollback', 'cleanup']);
    // The first window acted: no waiting for the end of the shadow bake.
    expectDuration(fake, 'shadow', 'rollback', 10_000);
  });

  it('rolls back on a p99 breach in the middle of a canary bake, before the bake ends', async () => {
    const fake = new FakeRolloutActivities();
    fake.stats = (ctx) =>
      healthyStats(ctx).map((s) =>
        ctx.stepKey === 'canary-2' && s.variant === candidateVariant ? { ...s, p99Ms: 200, maxMs: 250 } : s,
      );
    const { result, status } = await runRollout(fake);

    expect(result.state).toBe('ROLLED_BACK');
    expect(result.cause).toMatchObject({ kind: 'slo', phase: 'canary' });
    expect(result.reason).toMatch(/p99 200 ms > 50 ms/);
    const bakeMs = policyInput.canary!.steps![1].bakeSeconds * 1000;
    expect(fake.appliedAt('rollback') - fake.appliedAt('canary-2')).toBeLessThan(bakeMs);
    expect(fake.trafficChanges).toEqual(['shadow', 'canary-1', 'canary-2', 'rollback', 'cleanup']);
    expect(fake.served).toEqual([
      { name: baselineVariant, modelVersionId: 'mv-1', role: 'primary', weight: 100, shadowSampleRate: 0 },
    ]);
    // A hard ceiling: the first failing window rolls back, no streak needed.
    expect(status.lastChecks.at(-1)).toMatchObject({
      stepKey: 'canary-2',
      verdict: 'fail',
      hard: true,
      consecutiveFailures: 1,
    });
    expect(fake.states.at(-1)?.evidence).toMatchObject({ cause: { kind: 'slo' } });
  });

  it('rolls back a slower candidate only after failureThreshold failing windows in a row that share no traffic', async () => {
    const fake = new FakeRolloutActivities();
    // From canary-1 on the candidate is 2 ms slower than the baseline (whose median is 2.5 ms).
    fake.stats = (ctx) =>
      healthyStats(ctx).map((s) =>
        ctx.stepKey !== 'shadow' && s.variant === candidateVariant ? { ...s, latency: latencyBins(500, 2) } : s,
      );
    const { result } = await runRollout(fake);

    expect(result.state).toBe('ROLLED_BACK');
    expect(result.cause).toMatchObject({ kind: 'slo', phase: 'canary' });
    expect(result.reason).toMatch(
      /candidate slower: latency shift \+2 ms over median 2\.5 ms ≥ 1 ms \(Mann–Whitney p = /,
    );
    // Windows of 30 s every 10 s: the second failure that counts is the first window that shares
    // no traffic with the first one, 30 s later (the default threshold is 2).
    const windows = fake.eventsOf('slo.window').filter((w) => w.detail.stepKey === 'canary-1');
    expect(windows.map((w) => [w.detail.verdict, w.detail.hard, w.detail.consecutiveFailures])).toEqual([
      ['fail', false, 1],
      ['fail', false, 1],
      ['fail', false, 1],
      ['fail', false, 2],
    ]);
    expectDuration(fake, 'canary-1', 'rollback', 40_000);
    // Failing windows never count toward the bake.
    expect(windows.map((w) => w.detail.observedSeconds)).toEqual([0, 0, 0, 0]);
    expect(windows[0].detail).toMatchObject({
      comparison: 'relative',
      failureThreshold: 2,
      bakeSeconds: 30,
      latency: { method: 'mann-whitney', source: 'local', shiftMs: 2, alpha: 0.01, minShiftMs: 1 },
      candidate: { variant: candidateVariant, requests: 500, successes: 500, medianMs: 4.5 },
      baseline: { variant: baselineVariant, requests: 500, medianMs: 2.5 },
    });
    expect(windows[0].detail.candidate).not.toHaveProperty('latency');
    expect(fake.trafficChanges).toEqual(['shadow', 'canary-1', 'rollback', 'cleanup']);
  });

  it('forgives a failing window followed by a passing one, and bakes on passing windows only', async () => {
    const fake = new FakeRolloutActivities();
    let reads = 0;
    // canary-1 windows (30 s, every 10 s): fail, fail, fail, pass, fail, fail, pass, pass: a pass
    // always comes before a second failing window that shares no traffic with the first.
    const pattern = [true, true, true, false, true, true, false, false];
    fake.stats = (ctx) =>
      healthyStats(ctx).map((s) =>
        ctx.stepKey === 'canary-1' && s.variant === candidateVariant && pattern[reads++] === true
          ? { ...s, latency: latencyBins(500, 2) }
          : s,
      );
    const { result } = await runRollout(fake);

    expect(result.state).toBe('SUCCEEDED');
    const windows = fake.eventsOf('slo.window').filter((w) => w.detail.stepKey === 'canary-1');
    expect(windows.map((w) => w.detail.consecutiveFailures)).toEqual([1, 1, 1, 0, 1, 1, 0, 0]);
    expect(windows.map((w) => w.detail.observedSeconds)).toEqual([0, 0, 0, 10, 10, 10, 20, 30]);
    // Eight windows 10 s apart: 30 s of the bake observed in 80 s.
    expectDuration(fake, 'canary-1', 'canary-2', 80_000);
    const advanced = fake.eventsOf('step.completed').find((e) => e.detail.stepKey === 'canary-1');
    expect(advanced?.detail).toMatchObject({ decision: 'advance', observedSeconds: 30 });
  });

  it('judges against absolute limits only while the baseline idles at 0% while promoting, and says so', async () => {
    const fake = new FakeRolloutActivities();
    // While promoting the candidate is 4× slower than the baseline was, but under the 50 ms ceiling.
    fake.stats = (ctx) =>
      healthyStats(ctx).map((s) =>
        ctx.stepKey !== 'promoting'
          ? s
          : s.variant === candidateVariant
            ? { ...s, latency: latencyBins(500, 8), p99Ms: 20 }
            : windowStats(s.variant, { requests: 0, latency: { valuesMs: [], counts: [] } }),
      );
    const { result, status } = await runRollout(fake);

    expect(result.state).toBe('SUCCEEDED');
    const promoting = fake.eventsOf('slo.window').filter((w) => w.detail.stepKey === 'promoting');
    expect(promoting.length).toBe(2);
    for (const w of promoting) {
      expect(w.detail).toMatchObject({
        verdict: 'pass',
        comparison: 'absolute-only',
        note: `baseline ${baselineVariant} served 0 successful requests in the window (fewer than 10): absolute limits only`,
        latency: null,
      });
      expect(w.detail.summary).toMatch(/absolute limits only\]$/);
      expect((w.detail.checks as { check: string }[]).map((c) => c.check)).toEqual(['errorRate', 'p99LatencyMs']);
    }
    expect(status.lastChecks.at(-1)).toMatchObject({ stepKey: 'promoting', comparison: 'absolute-only' });

    // The absolute ceiling still acts at once.
    const over = new FakeRolloutActivities();
    over.stats = (ctx) =>
      healthyStats(ctx).map((s) =>
        ctx.stepKey !== 'promoting'
          ? s
          : s.variant === candidateVariant
            ? { ...s, p99Ms: 80 }
            : windowStats(s.variant, { requests: 0, latency: { valuesMs: [], counts: [] } }),
      );
    const rolledBack = await runRollout(over);
    expect(rolledBack.result.state).toBe('ROLLED_BACK');
    expect(rolledBack.result.reason).toMatch(/p99 80 ms > 50 ms \[baseline .* absolute limits only\]/);
    expectDuration(over, 'promoting', 'rollback', 10_000);
  });

  it('never rolls back on client errors, and shows them', async () => {
    const fake = new FakeRolloutActivities();
    fake.stats = (ctx) =>
      healthyStats(ctx).map((s) =>
        s.variant === candidateVariant && ctx.stepKey?.startsWith('canary')
          ? windowStats(s.variant, { requests: 500, clientErrors: 60 })
          : s,
      );
    const { result } = await runRollout(fake);

    expect(result.state).toBe('SUCCEEDED');
    const window = fake.eventsOf('slo.window').find((w) => w.detail.stepKey === 'canary-1');
    expect(window?.detail.candidate).toMatchObject({ clientErrors: 60, serverErrors: 0, errorRate: 0 });
    expect(window?.detail.summary).toMatch(/60 client errors not counted/);
  });

  it('counts only observed time when the worker is down mid-bake', async () => {
    const fake = new FakeRolloutActivities();
    const input = rolloutInput();
    const taskQueue = `rollout-test-${++runs}`;
    const worker = () =>
      Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle,
        activities: fake.activities(),
        identity: 'rollout-test-worker',
        // No sticky queue: a task of the stopped worker goes to the next one, which replays the history.
        maxCachedWorkflows: 0,
      });
    let firstCanaryRead: () => void;
    const atFirstCanaryRead = new Promise<void>((resolve) => (firstCanaryRead = resolve));
    fake.onRead = async ({ stepKey }) => {
      if (stepKey === 'canary-1') firstCanaryRead();
    };
    const handle = await env.client.workflow.start(rolloutWorkflow, {
      workflowId: `rollout:${input.endpoint.name}:${runs}`,
      taskQueue,
      args: [input],
    });
    fake.workflowId = handle.workflowId;
    // The first worker serves until canary-1's first window (10 s into its 30 s bake), then stops.
    // Fledge stays down for five minutes: the canary's timer fires meanwhile with no one to act on
    // it. (The test server lets a stopping worker's last poll go only when its clock moves.)
    const stopped = (await worker()).runUntil(atFirstCanaryRead);
    await atFirstCanaryRead;
    await env.sleep(300_000);
    await stopped;
    const second = await worker();
    const status = await second.runUntil(async () => {
      await handle.result();
      return handle.query(statusQuery);
    });

    expect(status.state).toBe('SUCCEEDED');
    // The five minutes down fell inside canary-1's bake, yet each window observed one interval:
    // the bake still took three passing windows (counting the downtime would have ended it at the
    // first window after the gap).
    const windows = fake.eventsOf('slo.window').filter((w) => w.detail.stepKey === 'canary-1');
    expect(windows.map((w) => w.detail.observedSeconds)).toEqual([10, 20, 30]);
    const times = [fake.appliedAt('canary-1'), ...windows.map((w) => Date.parse(w.at))];
    const longestGap = Math.max(...times.slice(1).map((t, i) => t - times[i]));
    expect(longestGap).toBeGreaterThanOrEqual(290_000);
    expect(fake.appliedAt('canary-2') - times[0]).toBeGreaterThanOrEqual(320_000);
    // A cache-less worker replays the whole history on every task: slow on a busy machine.
  }, 300_000);

  it('rolls back on an external alarm, sending traffic to the baseline before anything else', async () => {
    const fake = new FakeRolloutActivities();
    let alarmedAtCall = -1;
    fake.onRead = async ({ stepKey }) => {
      if (stepKey === 'canary-1' && alarmedAtCall < 0) {
        alarmedAtCall = fake.calls.length;
        await signalHandle(fake).signal(alarmSignal, { source: 'alertmanager', name: 'HighLatency', alarmId: 'al-1' });
      }
    };
    const { result } = await runRollout(fake);

    expect(result.state).toBe('ROLLED_BACK');
    expect(result.cause).toEqual({ kind: 'alarm', source: 'alertmanager', name: 'HighLatency', alarmId: 'al-1' });
    const after = fake.calls.slice(alarmedAtCall);
    expect(after[0]).toMatchObject({
      name: 'applyTraffic',
      input: {
        stepKey: 'rollback',
        variants: [
          { name: baselineVariant, role: 'primary', weight: 100 },
          { name: candidateVariant, role: 'canary', weight: 0 },
        ],
      },
    });
    const names = after.map((c) => c.name);
    expect(names.indexOf('cleanupCandidate')).toBeGreaterThan(0);
    expect(names.slice(names.indexOf('cleanupCandidate'))).not.toContain('applyTraffic');
    const alarm = fake.eventsOf('signal.received').find((e) => e.detail.signal === 'alarm');
    expect(alarm?.detail).toMatchObject({ name: 'HighLatency', action: 'rollback', state: 'CANARY' });
    expect(fake.eventsOf('rollback.completed')[0].detail).toMatchObject({
      cause: { kind: 'alarm' },
      cleanupError: null,
    });
  });

  it('acts on an alarm while paused, and only records one before the candidate serves', async () => {
    const fake = new FakeRolloutActivities();
    fake.onGrade = () => signalHandle(fake).signal(alarmSignal, { source: 'cloudwatch', name: 'BaselineErrors' });
    let pausedAt = -1;
    fake.onRead = async ({ stepKey, read }) => {
      if (stepKey !== 'canary-1') return;
      if (pausedAt < 0) {
        pausedAt = read;
        await signalHandle(fake).signal(pauseSignal);
      } else if (read === pausedAt + 2) {
        await signalHandle(fake).signal(alarmSignal, { source: 'operator', name: 'ManualRollback' });
      }
    };
    const { result } = await runRollout(fake);

    expect(result.state).toBe('ROLLED_BACK');
    expect(result.cause).toMatchObject({ kind: 'alarm', name: 'ManualRollback' });
    expect(fake.trafficChanges).toEqual(['shadow', 'canary-1', 'rollback', 'cleanup']);
    const alarms = fake.eventsOf('signal.received').filter((e) => e.detail.signal === 'alarm');
    expect(alarms.map((e) => [e.detail.name, e.detail.state, e.detail.action])).toEqual([
      ['BaselineErrors', 'GATING', 'ignored: the candidate serves no traffic'],
      ['ManualRollback', 'CANARY', 'rollback'],
    ]);
  });

  it('keeps traffic restored when removing the candidate fails', async () => {
    const fake = new FakeRolloutActivities();
    fake.cleanupFails = true;
    fake.stats = (ctx) =>
      healthyStats(ctx).map((s) =>
        s.variant === candidateVariant && ctx.stepKey === 'canary-1' ? { ...s, errors: 50 } : s,
      );
    const { result } = await runRollout(fake);

    expect(result.state).toBe('ROLLED_BACK');
    expect(result.cleanupError).toMatch(/refused to delete/);
    expect(fake.trafficChanges).toEqual(['shadow', 'canary-1', 'rollback']);
    expect(fake.served.find((v) => v.name === baselineVariant)).toMatchObject({ weight: 100 });
    expect(fake.eventsOf('cleanup.failed')).toHaveLength(1);
  });

  it('aborts: before traffic without touching it, later through a rollback', async () => {
    const early = new FakeRolloutActivities();
    early.onGrade = () => signalHandle(early).signal(abortSignal, { by: 'ops@example.com', reason: 'wrong model' });
    const before = await runRollout(early);
    expect(before.result.state).toBe('ABORTED');
    expect(before.result.reason).toBe('aborted by ops@example.com: wrong model');
    expect(early.callNames()).not.toContain('applyTraffic');

    const late = new FakeRolloutActivities();
    let aborted = false;
    late.onRead = async ({ stepKey }) => {
      if (stepKey === 'canary-2' && !aborted) {
        aborted = true;
        await signalHandle(late).signal(abortSignal, { by: 'ops@example.com', reason: 'freeze' });
      }
    };
    const during = await runRollout(late);
    expect(during.result.state).toBe('ABORTED');
    expect(during.result.cause).toEqual({ kind: 'abort', by: 'ops@example.com', reason: 'freeze' });
    expect(late.trafficChanges).toEqual(['shadow', 'canary-1', 'canary-2', 'rollback', 'cleanup']);
    expect(during.status.history?.map((h) => h.state).slice(-2)).toEqual(['ROLLING_BACK', 'ABORTED']);
  });

  it('stops the bake clock while paused and holds traffic, then carries on after resume', async () => {
    const fake = new FakeRolloutActivities();
    let firstRead = -1;
    let whilePaused: { status: RolloutStatus; stepKey: string | null; changes: number } | undefined;
    fake.onRead = async ({ stepKey, read }) => {
      if (stepKey !== 'canary-1') return;
      if (firstRead < 0) {
        firstRead = read;
        await signalHandle(fake).signal(pauseSignal, { by: 'ops@example.com' });
      } else if (read === firstRead + 4) {
        const status = await signalHandle(fake).query(statusQuery);
        whilePaused = { status, stepKey: fake.stepKey, changes: fake.trafficChanges.length };
        await signalHandle(fake).signal(resumeSignal, { by: 'ops@example.com' });
      }
    };
    const { result } = await runRollout(fake);

    expect(result.state).toBe('SUCCEEDED');
    expect(whilePaused?.status).toMatchObject({
      paused: true,
      state: 'CANARY',
      step: { key: 'canary-1', bakedSeconds: 10 },
    });
    expect(whilePaused?.stepKey).toBe('canary-1');
    expect(whilePaused?.changes).toBe(2);
    // 30 s of bake plus 40 s paused (the 10 s before the pause counts, the paused time does not).
    expectDuration(fake, 'canary-1', 'canary-2', 70_000);
    const signals = fake.eventsOf('signal.received').map((e) => e.detail.signal);
    expect(signals).toEqual(['pause', 'resume']);
    // SLOs were still checked while paused.
    const paused = fake.eventsOf('slo.window').filter((e) => e.detail.paused === true);
    expect(paused.length).toBeGreaterThanOrEqual(3);
  });

  it('waits at the approval gate, still checking, until approved', async () => {
    const fake = new FakeRolloutActivities();
    let awaiting = false;
    let readsWhileAwaiting = 0;
    let statusWhileAwaiting: RolloutStatus | undefined;
    fake.onState = async (input) => {
      if (input.reason === 'awaiting approval') awaiting = true;
    };
    fake.onRead = async () => {
      if (!awaiting || ++readsWhileAwaiting !== 3) return;
      awaiting = false;
      statusWhileAwaiting = await signalHandle(fake).query(statusQuery);
      await signalHandle(fake).signal(approveSignal, { by: 'lead@example.com' });
    };
    const input = rolloutInput({}, { ...policyInput, promote: { bakeSeconds: 20, requireApproval: true } });
    const { result } = await runRollout(fake, input);

    expect(result.state).toBe('SUCCEEDED');
    expect(statusWhileAwaiting).toMatchObject({ awaitingApproval: true, state: 'CANARY', approvedBy: null });
    expect(readsWhileAwaiting).toBe(3);
    // Canary-2 baked 30 s, then the rollout held for 30 s until the approval arrived.
    expectDuration(fake, 'canary-2', 'promoting', 60_000);
    const approved = fake.eventsOf('step.completed').find((e) => e.detail.decision === 'approved');
    expect(approved?.detail.by).toBe('lead@example.com');
  });

  it('waits past the bake for enough samples, then rolls back by policy', async () => {
    const fake = new FakeRolloutActivities();
    fake.stats = (ctx) =>
      healthyStats(ctx).map((s) =>
        s.variant === candidateVariant && ctx.stepKey === 'canary-1' ? { ...s, requests: 3 } : s,
      );
    const { result } = await runRollout(fake);

    expect(result.state).toBe('ROLLED_BACK');
    expect(result.cause).toMatchObject({ kind: 'insufficient-samples', phase: 'canary' });
    expect(result.reason).toMatch(/3 of 10 samples/);
    // 30 s bake + 40 s maxSampleWaitSeconds.
    expectDuration(fake, 'canary-1', 'rollback', 70_000);
    expect(fake.eventsOf('step.completed').map((e) => e.detail.decision)).toContain('wait-for-samples');
  });

  it('advances once the samples arrive during the wait', async () => {
    const fake = new FakeRolloutActivities();
    let lowReads = 0;
    fake.stats = (ctx) =>
      healthyStats(ctx).map((s) =>
        s.variant === candidateVariant && ctx.stepKey === 'canary-1' && ++lowReads <= 4 ? { ...s, requests: 3 } : s,
      );
    const { result } = await runRollout(fake);

    expect(result.state).toBe('SUCCEEDED');
    // Four inconclusive windows (not observed), then three passing ones: 30 s observed in 70 s.
    expectDuration(fake, 'canary-1', 'canary-2', 70_000);
    const verdicts = fake.eventsOf('slo.window').filter((w) => w.detail.stepKey === 'canary-1');
    expect(verdicts.map((w) => w.detail.verdict)).toEqual([
      'inconclusive',
      'inconclusive',
      'inconclusive',
      'inconclusive',
      'pass',
      'pass',
      'pass',
    ]);
  });

  it('applies each step once under a stable key, even when an attempt fails after applying', async () => {
    const fake = new FakeRolloutActivities();
    fake.failAfterApplyOnce.add('canary-1');
    const { result } = await runRollout(fake);

    expect(result.state).toBe('SUCCEEDED');
    expect(fake.applyAttempts.get('canary-1')).toBe(2);
    expect(trafficKeys(fake)).toEqual(['shadow', 'canary-1', 'canary-1', 'canary-2', 'promoting', 'final']);
    expect(fake.trafficChanges).toEqual(['shadow', 'canary-1', 'canary-2', 'promoting', 'final']);
    const retried = fake.eventsOf('traffic.applied').find((e) => e.detail.stepKey === 'canary-1');
    expect(retried?.detail.alreadyApplied).toBe(true);
  });

  it('continues as new when the history grows, carrying its state', async () => {
    const fake = new FakeRolloutActivities();
    const { result, handle } = await runRollout(fake, rolloutInput({ options: { maxHistoryEvents: 150 } }));

    expect(result.state).toBe('SUCCEEDED');
    expect(fake.eventsOf('rollout.continued').length).toBeGreaterThanOrEqual(2);
    expect(fake.trafficChanges).toEqual(['shadow', 'canary-1', 'canary-2', 'promoting', 'final']);
    expect(trafficKeys(fake)).toEqual(fake.trafficChanges);
    const events = fake.eventList();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    // Bake time survives the new run: each step still lasted exactly its bake.
    expectDuration(fake, 'canary-1', 'canary-2', 30_000);
    const description = await handle.describe();
    expect(description.runId).not.toBe(handle.firstExecutionRunId);
  });

  it('deploys a first version straight to 100% after the gate', async () => {
    const fake = new FakeRolloutActivities();
    fake.gate = { candidate: fake.gate.candidate, baseline: null };
    const { result } = await runRollout(fake, rolloutInput({ baseline: null }));

    expect(result.state).toBe('SUCCEEDED');
    expect(fake.trafficChanges).toEqual(['promoting']);
    expect(fake.served).toEqual([
      { name: candidateVariant, modelVersionId: 'mv-2', role: 'primary', weight: 100, shadowSampleRate: 0 },
    ]);
    expect(fake.callNames()).toContain('finalizePromotion');
    expect(fake.callNames()).not.toContain('readWindowStats');
  });
});

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/** Seconds of each timer the run started, in order. */
const timerSeconds = (events: HistoryEvent[]) =>
  events
    .filter((e) => e.timerStartedEventAttributes)
    .map((e) => Number(e.timerStartedEventAttributes!.startToFireTimeout!.seconds));

/** After each event of a history: how many activities were scheduled and not yet closed. */
function openActivities(events: HistoryEvent[]): number[] {
  const open = new Set<string>();
  return events.map((e) => {
    if (e.activityTaskScheduledEventAttributes) open.add(String(e.eventId));
    const closed =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes ??
      e.activityTaskCanceledEventAttributes;
    if (closed) open.delete(String(closed.scheduledEventId));
    return open.size;
  });
}

const openActivitiesAtTimers = (events: HistoryEvent[]) =>
  openActivities(events).filter((_, i) => events[i].timerStartedEventAttributes);

const scheduledActivities = (events: HistoryEvent[]) =>
  events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => e.activityTaskScheduledEventAttributes!);

describe('rolloutWorkflow: start, gate and outcome', () => {
  it('records itself first: its registry row, with the request that asked for it', async () => {
    const fake = new FakeRolloutActivities();
    const input = rolloutInput({ requestId: 'req-7' });
    await runRollout(fake, input);

    expect(fake.calls[0]).toEqual({
      name: 'openRollout',
      input: {
        rolloutId: 'ro-1',
        endpoint: input.endpoint,
        candidate: input.candidate,
        baseline: input.baseline,
        policy: input.policy,
        initiatedBy: 'engineer@example.com',
        requestId: 'req-7',
      },
    });
    expect(fake.callNames().filter((n) => n === 'openRollout')).toHaveLength(1);
  });

  it('ends without writing anything when the registry refuses its row', async () => {
    const fake = new FakeRolloutActivities();
    fake.openRefused = 'the endpoint already has an active rollout';
    await expect(runRollout(fake)).rejects.toMatchObject({
      cause: {
        type: 'RolloutNotOpened',
        message: 'rollout ro-1 could not be recorded: the endpoint already has an active rollout',
      },
    });
    expect(fake.callNames()).toEqual(['openRollout']);
  });

  it('waits for running gradings on doubling timers, holding no activity while they run', async () => {
    const fake = new FakeRolloutActivities().gradeCandidate(0.8);
    fake.gradingReadsUntilDone = 7;
    const { result, handle } = await runRollout(fake);

    expect(result.state).toBe('REJECTED');
    expect(fake.callNames().filter((n) => n === 'startGateGrading')).toHaveLength(1);
    expect(fake.gradingReads).toBe(8);
    expect(fake.callNames()).not.toContain('gradeForGate');
    expect(fake.calls.find((c) => c.name === 'readGateGrading')?.input).toEqual({
      candidate: 'ev-2',
      baseline: 'ev-1',
    });

    const { events } = await handle.fetchHistory();
    expect(timerSeconds(events!)).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    expect(openActivitiesAtTimers(events!)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    // Every activity of the gate is short: none may wait for a grading.
    for (const scheduled of scheduledActivities(events!)) {
      expect(Number(scheduled.startToCloseTimeout!.seconds)).toBeLessThanOrEqual(60);
    }

    if (process.env.FLEDGE_RECORD_FIXTURES === '1') {
      // Neither the recording machine's name nor its paths (in the failure's stack) belong in it.
      const history = JSON.parse(historyToJSON(await handle.fetchHistory()), (key, value) =>
        key === 'identity' ? 'rollout-test' : key === 'stackTrace' ? '' : value,
      );
      await writeFile(gateFixture, `${JSON.stringify(history, null, 1)}\n`);
    }
  });

  it('aborts at once while the gradings run, leaving no activity running', async () => {
    const fake = new FakeRolloutActivities();
    fake.gradingReadsUntilDone = 1_000;
    fake.onGradingRead = async (reads) => {
      if (reads === 3) await signalHandle(fake).signal(abortSignal, { by: 'ops@example.com', reason: 'wrong data' });
    };
    const { result, handle } = await runRollout(fake);

    expect(result.state).toBe('ABORTED');
    expect(result.reason).toBe('aborted by ops@example.com: wrong data');
    expect(fake.gradingReads).toBe(3);
    expect(fake.callNames()).not.toContain('applyTraffic');
    expect(fake.eventsOf('signal.received')).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({ signal: 'abort', action: 'abort', state: 'GATING' }),
      }),
    ]);
    const { events } = await handle.fetchHistory();
    const signalled = events!.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
    const after = scheduledActivities(events!.slice(signalled)).map((a) => a.activityType!.name);
    // After the abort: only the registry writes of the outcome, no grading read, no traffic.
    expect(new Set(after)).toEqual(new Set(['setRolloutState', 'recordEvent']));
    expect(openActivities(events!).at(-1)).toBe(0);
  });

  it('fails its run when it does not promote, so Temporal lists it as what it is', async () => {
    const fake = new FakeRolloutActivities().gradeCandidate(0.8);
    const { handle } = await runRollout(fake);

    const description = await handle.describe();
    expect(description.status.name).toBe('FAILED');
    expect(description.typedSearchAttributes.get(FledgeRolloutStateAttribute)).toBe('REJECTED');
    expect(description.typedSearchAttributes.get(FledgeRolloutIdAttribute)).toBe('ro-1');
    const failure = await handle.result().catch((error: WorkflowFailedError) => error.cause as ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'RolloutRejected',
      nonRetryable: true,
      message: expect.stringMatching(/^REJECTED: gate failed: minAccuracy: 0.8 < 0.9/),
    });
  });
});

describe('rolloutWorkflow replay', () => {
  it('replays the recorded success history deterministically', async () => {
    const history = historyFromJSON(JSON.parse(await readFile(fixture, 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle }, history)).resolves.toBeUndefined();
  });

  it('replays a rollout that opened itself, waited for its gradings and was rejected', async () => {
    const history = historyFromJSON(JSON.parse(await readFile(gateFixture, 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle }, history)).resolves.toBeUndefined();
  });
});
