import { describe, expect, it } from '@jest/globals';
import { type PayloadOf, type RolloutState } from '@fledge/client';

import {
  signalsOf,
  sloCharts,
  stagesOf,
  summarizeEvent,
  weightChart,
  gateRules,
  lastVariants,
  type RolloutEventLike,
  type RolloutLike,
} from './rollout-view';

const policy = {
  shadow: { enabled: true },
  canary: { steps: [{ weight: 25 }, { weight: 50 }] },
  promote: { requireApproval: true },
};
let seq = 0;
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s)).toISOString();
const ev = (type: string, s: number, payload: RolloutEventLike['payload']): RolloutEventLike => ({
  seq: ++seq,
  type,
  at: at(s),
  payload,
});
const started = ev('rollout.started', 0, {
  __typename: 'RolloutStartedEvent',
  candidate: { modelVersionId: 'mv-2', modelName: 'm', version: 2 },
  baseline: { modelVersionId: 'mv-1', modelName: 'm', version: 1 },
  initiatedBy: 'ana',
  stages: ['shadow', 'canary-1', 'canary-2', 'approval', 'promoting', 'final'],
});
const gate = (passed: boolean, summary: string) =>
  ev('gate.evaluated', 1, {
    __typename: 'GateEvaluatedEvent',
    candidateEvaluation: null,
    baselineEvaluation: null,
    gate: {
      passed,
      skipped: false,
      summary,
      rules: [{ rule: 'minAccuracy', passed, actual: passed ? 0.93 : 0.8, threshold: 0.9, reason: summary }],
    },
  });
const gatePassed = gate(true, 'minAccuracy: 0.93 ≥ 0.9');
const traffic = (stepKey: string, s: number, v2: number, role = 'canary') =>
  ev('traffic.applied', s, {
    __typename: 'TrafficAppliedEvent',
    stepKey,
    alreadyApplied: false,
    variants: [
      { name: 'm-v1', role: 'primary', weight: 100 - v2, shadowSampleRate: 0 },
      { name: 'm-v2', role, weight: role === 'shadow' ? 0 : v2, shadowSampleRate: role === 'shadow' ? 1 : 0 },
    ],
  });
const stepCompleted = (stepKey: string, s: number) =>
  ev('step.completed', s, {
    __typename: 'StepCompletedEvent',
    stepKey,
    decision: 'advance',
    evidence: null,
    maxSampleWaitSeconds: null,
    by: null,
    promoted: null,
    replaced: null,
  });
const stateChanged = (state: RolloutState, s: number) =>
  ev('state.changed', s, { __typename: 'StateChangedEvent', state, reason: null, step: null });
const passing = { status: 'PASS' as const, passed: true, hard: false, pValue: null, detail: '' };
const window = (stepKey: string, s: number, p99: number) =>
  ev('slo.window', s, {
    __typename: 'SloWindowCheckedEvent',
    paused: false,
    window: {
      at: at(s),
      phase: 'CANARY',
      stepKey,
      verdict: 'PASS',
      hard: false,
      comparison: 'RELATIVE',
      note: null,
      summary: 'ok',
      latency: null,
      checks: [
        { ...passing, check: 'errorRate', actual: 0.001, threshold: 0.01 },
        { ...passing, check: 'p99LatencyRelative', actual: p99, threshold: 30 },
      ],
      candidate: {
        variant: 'm-v2',
        requests: 50,
        errors: 0,
        clientErrors: 0,
        p50Ms: 1,
        p95Ms: 2,
        p99Ms: p99,
        maxMs: p99,
        shadowSamples: 0,
        agreement: null,
        source: 'local',
        judgedRequests: 50,
        successes: 50,
        serverErrors: 0,
        errorRate: 0,
        medianMs: 1,
      },
      baseline: null,
      consecutiveFailures: 0,
      failureThreshold: 3,
      observedSeconds: null,
      bakeSeconds: null,
    },
  });
const signal = (s: number, fields: Partial<PayloadOf<'SignalReceivedEvent'>>) =>
  ev('signal.received', s, {
    __typename: 'SignalReceivedEvent',
    signal: 'pause',
    receivedAt: at(s),
    state: 'CANARY',
    action: null,
    by: null,
    reason: null,
    source: null,
    name: null,
    alarmId: null,
    summary: null,
    awaitingApproval: null,
    ...fields,
  });
const rollout = (
  state: string,
  events: RolloutEventLike[],
  live: RolloutLike['live'] = null,
  reason: string | null = null,
): RolloutLike => ({
  state,
  reason,
  policy,
  events,
  live,
});
const statuses = (r: RolloutLike) => stagesOf(r).map((s) => `${s.label}: ${s.status}${s.note ? ` (${s.note})` : ''}`);

describe('stagesOf', () => {
  it('shows the planned stages with the current one in progress', () => {
    const r = rollout(
      'CANARY',
      [started, gatePassed, traffic('shadow', 2, 0, 'shadow'), stepCompleted('shadow', 5), traffic('canary-1', 6, 25)],
      {
        awaitingApproval: false,
        paused: true,
      },
    );
    expect(statuses(r)).toEqual([
      'Offline gate: done',
      'Shadow: done',
      'Canary 1 (25%): current (paused)',
      'Canary 2 (50%): pending',
      'Approval: pending',
      'Promoting: pending',
      'Full traffic: pending',
    ]);
  });

  it('marks the manual gate as waiting while approval is awaited', () => {
    const events = [
      started,
      gatePassed,
      traffic('shadow', 2, 0, 'shadow'),
      traffic('canary-1', 6, 25),
      traffic('canary-2', 9, 50),
      stepCompleted('canary-2', 12),
    ];
    const stages = stagesOf(rollout('CANARY', events, { awaitingApproval: true, paused: false }));
    expect(stages.find((s) => s.key === 'approval')).toMatchObject({ status: 'current', note: 'waiting for approval' });
    expect(stages.filter((s) => s.status === 'done').map((s) => s.key)).toEqual([
      'gate',
      'shadow',
      'canary-1',
      'canary-2',
    ]);
  });

  it('ends a rolled back rollout at the stage it reached, naming the cause', () => {
    const reason = 'alarm HighErrorRate from alertmanager';
    const r = rollout(
      'ROLLED_BACK',
      [started, gatePassed, traffic('shadow', 2, 0, 'shadow'), traffic('canary-1', 6, 25), traffic('rollback', 8, 0)],
      null,
      reason,
    );
    expect(statuses(r)).toEqual([
      'Offline gate: done',
      'Shadow: done',
      `Canary 1 (25%): failed (${reason})`,
      'Canary 2 (50%): skipped',
      'Approval: skipped',
      'Promoting: skipped',
      `Rolled back: failed (${reason})`,
    ]);
  });

  it('shows a rejected gate and a succeeded rollout', () => {
    const rejected = rollout(
      'REJECTED',
      [started, gate(false, 'minAccuracy: 0.8 < 0.9')],
      null,
      'minAccuracy: 0.8 < 0.9',
    );
    expect(statuses(rejected)[0]).toBe('Offline gate: failed (minAccuracy: 0.8 < 0.9)');
    expect(statuses(rejected).at(-1)).toBe('Rejected: failed (minAccuracy: 0.8 < 0.9)');
    const succeeded = rollout('SUCCEEDED', [started, gatePassed, traffic('final', 20, 100, 'primary')]);
    expect(stagesOf(succeeded).every((s) => s.status === 'done')).toBe(true);
    expect(stagesOf(succeeded).at(-1)?.label).toBe('Succeeded: full traffic');
  });

  it('derives the stages from the policy when the start event is missing', () => {
    expect(stagesOf(rollout('GATING', [])).map((s) => `${s.key}:${s.status}`)).toEqual([
      'gate:current',
      'shadow:pending',
      'canary-1:pending',
      'canary-2:pending',
      'approval:pending',
      'promoting:pending',
      'final:pending',
    ]);
  });
});

describe('event evidence', () => {
  it('summarizes each kind of event in words and falls back to its type', () => {
    expect(summarizeEvent(traffic('canary-1', 6, 25))).toBe('traffic [canary-1] m-v1 75% | m-v2 25%');
    expect(summarizeEvent(gatePassed)).toBe('offline gate PASSED: minAccuracy: 0.93 ≥ 0.9');
    expect(summarizeEvent(signal(7, { signal: 'approve', by: 'ana', action: 'approve' }))).toBe(
      'signal approve from ana → approve',
    );
    expect(
      summarizeEvent(signal(7, { signal: 'alarm', source: 'alertmanager', name: 'HighLatency', action: 'rollback' })),
    ).toBe('signal alarm from alertmanager alarm HighLatency → rollback');
    expect(summarizeEvent(window('canary-1', 8, 12))).toBe('SLO window [canary-1] PASS: ok');
    const failing = window('canary-1', 9, 40);
    if (failing.payload.__typename !== 'SloWindowCheckedEvent') throw new Error('not a window');
    failing.payload.window = { ...failing.payload.window, verdict: 'FAIL', consecutiveFailures: 2, summary: 'slower' };
    expect(summarizeEvent(failing)).toBe('SLO window [canary-1] FAIL (2 of 3 in a row): slower');
    expect(
      summarizeEvent(
        ev('something.new', 7, { __typename: 'UnrecognizedRolloutEvent', type: 'something.new', detail: {} }),
      ),
    ).toBe('something.new');
  });

  it('charts every SLO check against its limit, rates in percent', () => {
    const charts = sloCharts([window('canary-1', 10, 12), stateChanged('CANARY', 11), window('canary-1', 12, 14)]);
    expect(charts.map((c) => [c.check, c.data.unit])).toEqual([
      ['errorRate', '%'],
      ['p99LatencyRelative', 'ms'],
    ]);
    expect(charts[0].data.series).toEqual([
      { label: 'measured', values: [0.1, 0.1] },
      { label: 'limit', values: [1, 1], limit: true },
    ]);
    expect(charts[1].data.series[0].values).toEqual([12, 14]);
    expect(charts[1].data.x).toEqual([Date.parse(at(10)) / 1000, Date.parse(at(12)) / 1000]);
  });

  it('holds traffic weights until the next change, and until now after the last one', () => {
    const chart = weightChart([traffic('shadow', 2, 0, 'shadow'), traffic('canary-1', 6, 25)], at(30));
    expect(chart.x).toEqual([2, 6, 30].map((s) => Date.parse(at(s)) / 1000));
    expect(chart.series).toEqual([
      { label: 'm-v1', values: [100, 75, 75] },
      { label: 'm-v2', values: [0, 25, 25] },
    ]);
  });

  it('lists who sent which signal and what it did', () => {
    const rows = signalsOf([
      signal(3, { signal: 'pause', by: 'ana', state: 'CANARY' }),
      signal(4, { signal: 'alarm', source: 'cloudwatch', name: 'p99', summary: 'slow', action: 'rollback' }),
    ]);
    expect(
      rows.map(({ signal, from, reason, stateThen, action }) => ({ signal, from, reason, stateThen, action })),
    ).toEqual([
      { signal: 'pause', from: 'ana', reason: null, stateThen: 'CANARY', action: null },
      { signal: 'alarm', from: 'cloudwatch: p99', reason: 'slow', stateThen: 'CANARY', action: 'rollback' },
    ]);
  });

  it('reads the gate rules with their numbers, and what the endpoint serves once ended', () => {
    const events = [
      started,
      gate(false, 'minAccuracy: 0.8 < 0.9'),
      traffic('canary-1', 6, 25),
      traffic('rollback', 8, 0),
    ];
    expect(gateRules(events)?.rules).toEqual([
      { rule: 'minAccuracy', passed: false, actual: 0.8, threshold: 0.9, reason: 'minAccuracy: 0.8 < 0.9' },
    ]);
    expect(gateRules([started])).toBeNull();
    expect(lastVariants(events).map((v) => `${v.name} ${v.weight}`)).toEqual(['m-v1 100', 'm-v2 0']);
    expect(lastVariants([started])).toEqual([]);
  });
});
