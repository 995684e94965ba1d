import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type EventPayload,
  type RolloutEventView,
  type RolloutFieldsFragment as Rollout,
  type RolloutState,
} from '@fledge/client';

import {
  graphqlData,
  graphqlError,
  startFakeApi,
  type FakeApi,
  type FakeReply,
  type RecordedRequest,
} from '../../test/support/fake-api.js';
import { memoryStreams } from '../../test/support/memory-streams.js';
import { runCli } from '../cli.js';

const ID = '0193a5b2-1111-7000-8000-000000000001';
const at = (s: number) => `2026-11-23T12:00:${String(s).padStart(2, '0')}.000Z`;
const v1 = { name: 'digits-v1', role: 'primary', weight: 50, shadowSampleRate: 0 };
const v2 = { name: 'digits-v2', role: 'canary', weight: 50, shadowSampleRate: 0 };
const stats = {
  clientErrors: 0,
  p50Ms: 0,
  p95Ms: 0,
  maxMs: 0,
  shadowSamples: null,
  agreement: null,
  source: 'local',
  judgedRequests: 0,
  successes: 0,
  serverErrors: 0,
  errorRate: 0,
  medianMs: null,
};
const noStep = { evidence: null, maxSampleWaitSeconds: null, by: null, promoted: null, replaced: null };

/** What the API records: the typed payload, and (asked for with --json) the raw detail. */
const recorded = (seq: number, type: string, second: number, payload: EventPayload, detail: object = {}) => ({
  event: { seq, type, at: at(second), payload } satisfies RolloutEventView,
  detail,
});

const events = [
  recorded(
    1,
    'rollout.started',
    0,
    {
      __typename: 'RolloutStartedEvent',
      candidate: { modelVersionId: 'b', modelName: 'digits', version: 2 },
      baseline: { modelVersionId: 'a', modelName: 'digits', version: 1 },
      initiatedBy: 'ci',
      stages: ['canary-1', 'promoting', 'final'],
    },
    { stages: ['canary-1', 'promoting', 'final'] },
  ),
  recorded(2, 'state.changed', 1, { __typename: 'StateChangedEvent', state: 'GATING', reason: null, step: null }),
  recorded(3, 'gate.evaluated', 2, {
    __typename: 'GateEvaluatedEvent',
    gate: {
      passed: true,
      skipped: false,
      summary: 'gate passed',
      rules: [{ rule: 'minAccuracy', passed: true, actual: 0.95, threshold: 0.9, reason: 'minAccuracy: 0.95 ≥ 0.9' }],
    },
    candidateEvaluation: null,
    baselineEvaluation: null,
  }),
  recorded(4, 'state.changed', 3, {
    __typename: 'StateChangedEvent',
    state: 'CANARY',
    reason: 'canary step 1 of 1: 50%',
    step: null,
  }),
  recorded(
    5,
    'traffic.applied',
    3,
    { __typename: 'TrafficAppliedEvent', stepKey: 'canary-1', variants: [v1, v2], alreadyApplied: false },
    { stepKey: 'canary-1', variants: [v1, v2] },
  ),
  recorded(6, 'slo.window', 5, {
    __typename: 'SloWindowCheckedEvent',
    paused: false,
    window: {
      at: at(5),
      phase: 'CANARY',
      stepKey: 'canary-1',
      verdict: 'PASS',
      hard: false,
      comparison: 'RELATIVE',
      note: null,
      summary: 'canary window within SLO (error rate 0 ≤ 0.01)',
      checks: [],
      latency: null,
      candidate: { variant: 'digits-v2', requests: 0, errors: 0, p99Ms: 0, ...stats },
      baseline: null,
      consecutiveFailures: 0,
      failureThreshold: 3,
      observedSeconds: null,
      bakeSeconds: null,
    },
  }),
  recorded(7, 'step.completed', 5, {
    __typename: 'StepCompletedEvent',
    ...noStep,
    stepKey: 'canary-1',
    decision: 'advance',
  }),
  recorded(8, 'state.changed', 6, {
    __typename: 'StateChangedEvent',
    state: 'SUCCEEDED',
    reason: 'digits-v2 serves 100% of web',
    step: null,
  }),
  recorded(9, 'rollout.finished', 6, {
    __typename: 'RolloutFinishedEvent',
    state: 'SUCCEEDED',
    reason: 'digits-v2 serves 100% of web',
    variants: [],
    cause: null,
    cleanupError: null,
  }),
];

const EXPECTED_LINES = [
  '12:00:00  started: stages canary-1 → promoting → final',
  '12:00:01  state GATING',
  '12:00:02  gate passed',
  '            ✓ minAccuracy: 0.95 ≥ 0.9',
  '12:00:03  state CANARY: canary step 1 of 1: 50%',
  '12:00:03  traffic canary-1: digits-v1 primary 50%, digits-v2 canary 50%',
  '12:00:05  slo canary-1 pass: canary window within SLO (error rate 0 ≤ 0.01)',
  '            candidate 0 req, 0 err, p99 0 ms',
  '12:00:05  step canary-1 done: baked, last window passed',
  '12:00:06  state SUCCEEDED: digits-v2 serves 100% of web',
  '12:00:06  finished SUCCEEDED: digits-v2 serves 100% of web',
];

/** A poll's answer: the rollout as it is, and the events recorded by then. */
interface Poll {
  rollout: Rollout;
  events: typeof events;
}

function poll(state: RolloutState, eventCount: number, reason: string | null = null): Poll {
  const running = !['SUCCEEDED', 'REJECTED', 'ROLLED_BACK', 'ABORTED', 'FAILED'].includes(state);
  return {
    events: events.slice(0, eventCount),
    rollout: {
      id: ID,
      state,
      currentStep: 1,
      reason,
      createdAt: at(0),
      finishedAt: running ? null : at(6),
      candidate: { version: 2, model: { name: 'digits' } },
      baseline: { version: 1, model: { name: 'digits' } },
      endpoint: { name: 'web' },
      createdBy: 'ci',
      startedAt: at(0),
      workflowId: 'rollout:web',
      policy: {},
      evidence: {},
      live: running
        ? {
            state,
            step: null,
            paused: false,
            awaitingApproval: false,
            reason,
            weights: [],
            lastChecks: [],
          }
        : null,
    },
  };
}

/**
 * Each poll reads the new events (a page after the cursor), then the rollout: both answer from the
 * next scripted poll, and the last one repeats. A scripted failure answers the events read.
 */
function script(first: Poll, polls: (Poll | FakeReply)[]) {
  let index = 0;
  const current = () => polls[Math.min(index, polls.length - 1)];
  return (request: RecordedRequest): FakeReply => {
    const query = request.graphql?.query ?? '';
    const variables = request.graphql?.variables ?? {};
    if (/mutation Promote\b/.test(query)) return graphqlData({ promote: first.rollout });
    if (/mutation DeployModelVersion\b/.test(query)) return graphqlData({ deployModelVersion: first.rollout });
    if (/query Endpoint\b/.test(query)) {
      return graphqlData({
        endpoint: { name: 'web', activeRollout: { id: ID }, alarms: [], variants: [] },
      });
    }
    if (/query RolloutEventsPage\b/.test(query)) {
      const next = current();
      if (!('rollout' in next)) {
        index++;
        return next;
      }
      const after = variables.after ? Number(variables.after) : 0;
      const page = next.events
        .filter(({ event }) => event.seq > after)
        .map(({ event, detail }) => ({ ...event, ...(variables.withDetail ? { detail } : {}) }));
      return graphqlData({
        rollout: {
          id: ID,
          state: next.rollout.state,
          events: {
            totalCount: next.events.length,
            pageInfo: { hasNextPage: false, endCursor: page.length ? String(page.at(-1)!.seq) : null },
            edges: page.map((node) => ({ cursor: String(node.seq), node })),
          },
        },
      });
    }
    if (/query RolloutDetail\b/.test(query)) {
      const next = current();
      index++;
      return 'rollout' in next ? graphqlData({ rollout: next.rollout }) : next;
    }
    return graphqlError('INTERNAL', `unexpected operation: ${query.slice(0, 60)}`);
  };
}

const succeeding = [
  poll('GATING', 3),
  poll('CANARY', 5),
  poll('CANARY', 7),
  // Terminal before the closing events are written: the watch waits for them.
  poll('SUCCEEDED', 7, 'digits-v2 serves 100% of web'),
  poll('SUCCEEDED', 9, 'digits-v2 serves 100% of web'),
];

describe('--watch against a scripted API', () => {
  let api: FakeApi;
  let home: string;

  beforeAll(async () => {
    api = await startFakeApi();
    home = await mkdtemp(path.join(tmpdir(), 'fledge-cli-watch-'));
  });
  afterAll(async () => {
    await api.close();
    await rm(home, { recursive: true, force: true });
  });

  const run = async (args: string[], onInterrupt?: (handler: () => void) => () => void, tty = false) => {
    const streams = memoryStreams();
    if (tty) Object.assign(streams.stderr, { isTTY: true, columns: 200 });
    const code = await runCli(args, {
      env: { FLEDGE_CONFIG_DIR: path.join(home, 'config'), FLEDGE_API_URL: api.url, FLEDGE_API_KEY: 'k' },
      homeDir: home,
      streams,
      onInterrupt,
    });
    return { code, out: streams.out(), err: streams.err() };
  };
  const promoteArgs = ['promote', 'web', 'digits@2', '--poll-interval', '5'];

  it('prints every event once, in order, and exits 0 when the rollout succeeds', async () => {
    api.handle(script(poll('PENDING', 1), succeeding));
    const result = await run([
      ...promoteArgs,
      '--canary',
      '50:2',
      '--gate-dataset',
      'dt@1',
      '--min-accuracy',
      '0.9',
      '--watch',
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toBe(`${EXPECTED_LINES.join('\n')}\n`);
    // Not a terminal: no status line, just a note on stderr.
    expect(result.err).not.toContain('\r');
    expect(result.err).toContain('Ctrl-C stops watching; the rollout goes on');
    const promote = api.requests.find((r) => r.graphql?.query.includes('mutation Promote'));
    expect(promote?.graphql?.variables).toEqual({
      input: {
        endpoint: 'web',
        model: 'digits',
        version: 2,
        policy: { gate: { dataset: 'dt@1', minAccuracy: 0.9 }, canary: { steps: [{ weight: 50, bakeSeconds: 2 }] } },
      },
    });
  });

  it('keeps a live status line on a terminal (stderr), events still on stdout', async () => {
    const canary = poll('CANARY', 5);
    canary.rollout.live!.step = {
      key: 'canary-1',
      phase: 'CANARY',
      ordinal: 1,
      canaryStep: 1,
      canarySteps: 1,
      weight: 50,
      bakeSeconds: 2,
      bakedSeconds: 1.2,
    };
    canary.rollout.live!.weights = [
      { name: 'digits-v1', role: 'primary', weight: 50, shadowSampleRate: 0 },
      { name: 'digits-v2', role: 'canary', weight: 50, shadowSampleRate: 0 },
    ];
    api.handle(script(poll('PENDING', 1), [canary, ...succeeding.slice(2)]));
    const result = await run([...promoteArgs, '--watch'], undefined, true);
    expect(result.code).toBe(0);
    expect(result.out).toBe(`${EXPECTED_LINES.join('\n')}\n`);
    expect(result.err).toContain(
      '\r\x1b[2KCANARY | canary 1/1 baked 1/2s | digits-v1 primary 50%, digits-v2 canary 50%',
    );
  });

  it('prints one JSON object per event with --json', async () => {
    api.handle(script(poll('PENDING', 1), succeeding));
    const result = await run([...promoteArgs, '--watch', '--json']);
    expect(result.code).toBe(0);
    expect(result.err).toBe('');
    const lines = result.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Each event with its typed payload and, as --json always printed it, its raw detail.
    expect(lines[4]).toEqual({ rollout: ID, ...events[4].event, detail: events[4].detail });
  });

  it('exits 8 naming the state and reason when the rollout is rolled back', async () => {
    const rolledBack = { ...poll('ROLLED_BACK', 9, 'SLO breach during canary: p99'), events: events.slice(0, 7) };
    rolledBack.events.push(
      recorded(8, 'rollout.finished', 9, {
        __typename: 'RolloutFinishedEvent',
        state: 'ROLLED_BACK',
        reason: 'SLO breach during canary: p99',
        variants: [],
        cause: null,
        cleanupError: null,
      }),
    );
    api.handle(script(poll('PENDING', 1), [poll('CANARY', 5), rolledBack]));
    const result = await run([...promoteArgs, '--watch']);
    expect(result.code).toBe(8);
    expect(result.out.trimEnd().split('\n').at(-1)).toBe(
      '12:00:09  finished ROLLED_BACK: SLO breach during canary: p99',
    );
    expect(result.err).toContain(`error: rollout ${ID} ended ROLLED_BACK: SLO breach during canary: p99`);
  });

  it('ends after a grace period when the closing events never come', async () => {
    api.handle(script(poll('PENDING', 1), [poll('REJECTED', 3, 'gate failed')]));
    const started = Date.now();
    const result = await run([...promoteArgs, '--watch']);
    expect(result.code).toBe(8);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('rides out a short API outage while watching', async () => {
    api.handle(
      script(poll('PENDING', 1), [
        poll('GATING', 3),
        { status: 503, text: 'restarting' },
        { status: 503, text: 'restarting' },
        ...succeeding.slice(1),
      ]),
    );
    const result = await run([...promoteArgs, '--watch']);
    expect(result.code).toBe(0);
    expect(result.out).toBe(`${EXPECTED_LINES.join('\n')}\n`);
  });

  it('stops watching on Ctrl-C with exit 130 and leaves the rollout alone', async () => {
    let interrupt: (() => void) | undefined;
    let released = false;
    api.handle((request) => {
      if (request.graphql?.query.includes('query RolloutDetail')) interrupt?.();
      return script(poll('PENDING', 1), [poll('CANARY', 5)])(request);
    });
    const result = await run(['rollout', 'watch', 'web', '--poll-interval', '5'], (handler) => {
      interrupt = handler;
      return () => (released = true);
    });
    expect(result.code).toBe(130);
    expect(result.err).toMatch(/Stopped watching; rollout .* goes on \(CANARY\)/);
    expect(result.err).toContain('fledge rollout abort web');
    expect(released).toBe(true);
    expect(api.requests.some((r) => /mutation AbortRollout/.test(r.graphql?.query ?? ''))).toBe(false);
  });

  it('refuses bad policy flags with exit 2 naming the flag', async () => {
    api.handle(() => graphqlError('INTERNAL', 'should not be called'));
    for (const args of [
      ['--canary', '50:2,25:2'],
      ['--min-accuracy', '1.5'],
      ['--max-accuracy-drop', 'x'],
      ['--shadow-seconds', '-1'],
      ['--check-interval', '0'],
      ['--gate-dataset', 'digits'],
      ['--policy', '[1]'],
    ]) {
      const result = await run([...promoteArgs, ...args]);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.err).toContain(args[0]);
    }
  });

  it('maps a policy the server refuses (INVALID_ARGUMENT) to exit 6', async () => {
    api.handle(() =>
      graphqlError(
        'INVALID_ARGUMENT',
        'invalid rollout policy: slo.windowSeconds must be between 1 and 86400',
        'POLICY_INVALID',
      ),
    );
    const result = await run([...promoteArgs, '--policy', '{"slo":{"windowSeconds":0}}']);
    expect(result.code).toBe(6);
    expect(result.err).toBe(
      'error: invalid rollout policy: slo.windowSeconds must be between 1 and 86400 (INVALID_ARGUMENT)\n',
    );
  });
});
