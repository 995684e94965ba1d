import { describe, expect, it } from '@jest/globals';

import {
  signalsOf,
  sloCharts,
  stagesOf,
  summarizeEvent,
  weightChart,
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
const ev = (type: string, s: number, detail: Record<string, unknown> = {}): RolloutEventLike => ({
  seq: ++seq,
  type,
  at: at(s),
  detail,
});
const started = ev('rollout.started', 0, {
  stages: ['shadow', 'canary-1', 'canary-2', 'approval', 'promoting', 'final'],
});
const gatePassed = ev('gate.evaluated', 1, {
  gate: { passed: true, skipped: false, summary: 'minAccuracy: 0.93 ≥ 0.9' },
});
const traffic = (stepKey: string, s: number, v2: number, role = 'canary') =>
  ev('traffic.applied', s, {
    stepKey,
    variants: [
      { name: 'm-v1', role: 'primary', weight: 100 - v2, shadowSampleRate: 0 },
      { name: 'm-v2', role, weight: role === 'shadow' ? 0 : v2, shadowSampleRate: role === 'shadow' ? 1 : 0 },
    ],
  });
const window = (stepKey: string, s: number, p99: number) =>
  ev('slo.window', s, {
    at: at(s),
    stepKey,
    verdict: 'pass',
    summary: 'ok',
    checks: [
      { check: 'errorRate', passed: true, actual: 0.001, threshold: 0.01, detail: '' },
      { check: 'p99LatencyRelative', passed: true, actual: p99, threshold: 30, detail: '' },
    ],
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
      [
        started,
        gatePassed,
        traffic('shadow', 2, 0, 'shadow'),
        ev('step.completed', 5, { stepKey: 'shadow' }),
        traffic('canary-1', 6, 25),
      ],
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
      ev('step.completed', 12, { stepKey: 'canary-2' }),
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
      [started, ev('gate.evaluated', 1, { gate: { passed: false } })],
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
    expect(summarizeEvent(ev('signal.received', 7, { signal: 'approve', by: 'ana', action: 'approve' }))).toBe(
      'signal approve from ana → approve',
    );
    expect(
      summarizeEvent(
        ev('signal.received', 7, { signal: 'alarm', source: 'alertmanager', name: 'HighLatency', action: 'rollback' }),
      ),
    ).toBe('signal alarm from alertmanager alarm HighLatency → rollback');
    expect(summarizeEvent(ev('something.new', 7, { x: 1 }))).toBe('something.new');
  });

  it('charts every SLO check against its limit, rates in percent', () => {
    const charts = sloCharts([window('canary-1', 10, 12), ev('state.changed', 11), window('canary-1', 12, 14)]);
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
      ev('signal.received', 3, { signal: 'pause', by: 'ana', state: 'CANARY', at: at(3) }),
      ev('signal.received', 4, {
        signal: 'alarm',
        source: 'cloudwatch',
        name: 'p99',
        detail: { summary: 'slow' },
        action: 'rollback',
      }),
    ]);
    expect(
      rows.map(({ signal, from, reason, stateThen, action }) => ({ signal, from, reason, stateThen, action })),
    ).toEqual([
      { signal: 'pause', from: 'ana', reason: null, stateThen: 'CANARY', action: null },
      { signal: 'alarm', from: 'cloudwatch: p99', reason: 'slow', stateThen: null, action: 'rollback' },
    ]);
  });
});
