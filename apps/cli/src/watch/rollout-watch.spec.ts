import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import {
  graphqlData,
  graphqlError,
  startFakeApi,
  type FakeApi,
  type FakeReply,
  type RecordedRequest,
} from '../../test/support/fake-api.js';
import { memoryStreams } from '../../test/support/memory-streams.js';
import { type Rollout, type RolloutEvent, type RolloutState } from '../client/api.types.js';
import { runCli } from '../cli.js';

const ID = '0193a5b2-1111-7000-8000-000000000001';
const at = (s: number) => `2026-11-23T12:00:${String(s).padStart(2, '0')}.000Z`;
const v1 = { name: 'digits-v1', modelVersionId: 'a', role: 'primary', weight: 50, shadowSampleRate: 0 };
const v2 = { name: 'digits-v2', modelVersionId: 'b', role: 'canary', weight: 50, shadowSampleRate: 0 };

const events: RolloutEvent[] = [
  { seq: 1, type: 'rollout.started', at: at(0), detail: { stages: ['canary-1', 'promoting', 'final'] } },
  { seq: 2, type: 'state.changed', at: at(1), detail: { state: 'GATING', reason: null } },
  {
    seq: 3,
    type: 'gate.evaluated',
    at: at(2),
    detail: {
      gate: {
        passed: true,
        skipped: false,
        summary: 'gate passed',
        rules: [{ rule: 'minAccuracy', passed: true, reason: 'minAccuracy: 0.95 ≥ 0.9' }],
      },
    },
  },
  { seq: 4, type: 'state.changed', at: at(3), detail: { state: 'CANARY', reason: 'canary step 1 of 1: 50%' } },
  { seq: 5, type: 'traffic.applied', at: at(3), detail: { stepKey: 'canary-1', variants: [v1, v2] } },
  {
    seq: 6,
    type: 'slo.window',
    at: at(5),
    detail: {
      stepKey: 'canary-1',
      verdict: 'pass',
      summary: 'canary window within SLO (error rate 0 ≤ 0.01)',
      candidate: { requests: 0, errors: 0, p99Ms: 0 },
      baseline: null,
    },
  },
  { seq: 7, type: 'step.completed', at: at(5), detail: { stepKey: 'canary-1', decision: 'advance' } },
  { seq: 8, type: 'state.changed', at: at(6), detail: { state: 'SUCCEEDED', reason: 'digits-v2 serves 100% of web' } },
  {
    seq: 9,
    type: 'rollout.finished',
    at: at(6),
    detail: { state: 'SUCCEEDED', reason: 'digits-v2 serves 100% of web' },
  },
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

function rollout(state: RolloutState, eventCount: number, reason: string | null = null): Rollout {
  const running = !['SUCCEEDED', 'REJECTED', 'ROLLED_BACK', 'ABORTED', 'FAILED'].includes(state);
  return {
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
    policy: {},
    evidence: {},
    events: events.slice(0, eventCount),
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
  };
}

/** Each `rollout(id)` poll answers the next scripted reply; the last one repeats. */
function script(first: Rollout, polls: (Rollout | FakeReply)[]) {
  let index = 0;
  return (request: RecordedRequest): FakeReply => {
    const query = request.graphql?.query ?? '';
    if (/mutation Promote\b/.test(query)) return graphqlData({ promote: first });
    if (/mutation DeployModelVersion\b/.test(query)) return graphqlData({ deployModelVersion: first });
    if (/query Endpoint\b/.test(query)) {
      return graphqlData({
        endpoint: { name: 'web', activeRollout: { id: ID }, alarms: [], variants: [] },
      });
    }
    if (/query Rollout\b/.test(query)) {
      const next = polls[Math.min(index++, polls.length - 1)];
      return 'id' in next ? graphqlData({ rollout: next }) : next;
    }
    return graphqlError('INTERNAL', `unexpected operation: ${query.slice(0, 60)}`);
  };
}

const succeeding = [
  rollout('GATING', 3),
  rollout('CANARY', 5),
  rollout('CANARY', 7),
  // Terminal before the closing events are written: the watch waits for them.
  rollout('SUCCEEDED', 7, 'digits-v2 serves 100% of web'),
  rollout('SUCCEEDED', 9, 'digits-v2 serves 100% of web'),
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
    api.handle(script(rollout('PENDING', 1), succeeding));
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
    const canary = rollout('CANARY', 5);
    canary.live!.step = {
      key: 'canary-1',
      phase: 'canary',
      ordinal: 1,
      canaryStep: 1,
      canarySteps: 1,
      weight: 50,
      bakeSeconds: 2,
      bakedSeconds: 1.2,
    };
    canary.live!.weights = [
      { name: 'digits-v1', role: 'primary', weight: 50 },
      { name: 'digits-v2', role: 'canary', weight: 50 },
    ];
    api.handle(script(rollout('PENDING', 1), [canary, ...succeeding.slice(2)]));
    const result = await run([...promoteArgs, '--watch'], undefined, true);
    expect(result.code).toBe(0);
    expect(result.out).toBe(`${EXPECTED_LINES.join('\n')}\n`);
    expect(result.err).toContain(
      '\r\x1b[2KCANARY | canary 1/1 baked 1/2s | digits-v1 primary 50%, digits-v2 canary 50%',
    );
  });

  it('prints one JSON object per event with --json', async () => {
    api.handle(script(rollout('PENDING', 1), succeeding));
    const result = await run([...promoteArgs, '--watch', '--json']);
    expect(result.code).toBe(0);
    expect(result.err).toBe('');
    const lines = result.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(lines[4]).toEqual({ rollout: ID, ...events[4] });
  });

  it('exits 8 naming the state and reason when the rollout is rolled back', async () => {
    const rolledBack = { ...rollout('ROLLED_BACK', 9, 'SLO breach during canary: p99'), events: events.slice(0, 7) };
    rolledBack.events.push({
      seq: 8,
      type: 'rollout.finished',
      at: at(9),
      detail: { state: 'ROLLED_BACK', reason: 'SLO breach during canary: p99' },
    });
    api.handle(script(rollout('PENDING', 1), [rollout('CANARY', 5), rolledBack]));
    const result = await run([...promoteArgs, '--watch']);
    expect(result.code).toBe(8);
    expect(result.out.trimEnd().split('\n').at(-1)).toBe(
      '12:00:09  finished ROLLED_BACK: SLO breach during canary: p99',
    );
    expect(result.err).toContain(`error: rollout ${ID} ended ROLLED_BACK: SLO breach during canary: p99`);
  });

  it('ends after a grace period when the closing events never come', async () => {
    api.handle(script(rollout('PENDING', 1), [rollout('REJECTED', 3, 'gate failed')]));
    const started = Date.now();
    const result = await run([...promoteArgs, '--watch']);
    expect(result.code).toBe(8);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('rides out a short API outage while watching', async () => {
    api.handle(
      script(rollout('PENDING', 1), [
        rollout('GATING', 3),
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
      if (request.graphql?.query.includes('query Rollout')) interrupt?.();
      return script(rollout('PENDING', 1), [rollout('CANARY', 5)])(request);
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
