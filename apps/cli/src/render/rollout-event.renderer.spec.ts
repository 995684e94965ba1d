import { describe, expect, it } from '@jest/globals';

import { type RolloutEvent } from '../client/api.types.js';
import { renderEventLine, renderStatusLine } from './rollout-event.renderer.js';

const at = '2026-11-23T12:34:56.789Z';
const event = (type: string, detail: Record<string, unknown>, seq = 1): RolloutEvent => ({ seq, type, at, detail });

const v1 = { name: 'digits-v1', modelVersionId: 'a', role: 'primary', weight: 75, shadowSampleRate: 0 };
const v2 = { name: 'digits-v2', modelVersionId: 'b', role: 'canary', weight: 25, shadowSampleRate: 0 };

describe(renderEventLine.name, () => {
  it.each<[string, RolloutEvent, string]>([
    [
      'rollout.started',
      event('rollout.started', { stages: ['shadow', 'canary-1', 'promoting', 'final'] }),
      '12:34:56  started: stages shadow → canary-1 → promoting → final',
    ],
    [
      'state.changed',
      event('state.changed', { state: 'CANARY', reason: 'canary step 1 of 2: 25%', step: {} }),
      '12:34:56  state CANARY: canary step 1 of 2: 25%',
    ],
    [
      'state.changed without reason',
      event('state.changed', { state: 'GATING', reason: null }),
      '12:34:56  state GATING',
    ],
    [
      'gate.evaluated',
      event('gate.evaluated', {
        gate: {
          passed: false,
          skipped: false,
          summary: 'gate failed: accuracyDrop',
          rules: [
            { rule: 'minAccuracy', passed: true, actual: 0.93, threshold: 0.85, reason: 'minAccuracy: 0.93 ≥ 0.85' },
            { rule: 'accuracyDrop', passed: false, actual: 0.04, threshold: 0.01, reason: 'accuracyDrop: 0.04 > 0.01' },
          ],
        },
      }),
      [
        '12:34:56  gate failed: accuracyDrop',
        '            ✓ minAccuracy: 0.93 ≥ 0.85',
        '            ✗ accuracyDrop: 0.04 > 0.01',
      ].join('\n'),
    ],
    [
      'traffic.applied (canary)',
      event('traffic.applied', { stepKey: 'canary-1', variants: [v1, v2], alreadyApplied: false }),
      '12:34:56  traffic canary-1: digits-v1 primary 75%, digits-v2 canary 25%',
    ],
    [
      'traffic.applied (shadow, replayed)',
      event('traffic.applied', {
        stepKey: 'shadow',
        variants: [
          { ...v1, weight: 100 },
          { ...v2, role: 'shadow', weight: 0, shadowSampleRate: 0.5 },
        ],
        alreadyApplied: true,
      }),
      '12:34:56  traffic shadow: digits-v1 primary 100%, digits-v2 shadow (mirrors 50%) (already applied)',
    ],
    [
      'slo.window pass',
      event('slo.window', {
        stepKey: 'canary-1',
        phase: 'canary',
        verdict: 'pass',
        hard: false,
        summary: 'canary window within SLO (server errors 0/120 (0%) within 1%)',
        checks: [{ check: 'errorRate', passed: true, actual: 0, threshold: 0.01, detail: 'error rate 0 ≤ 0.01' }],
        candidate: { variant: 'digits-v2', requests: 120, errors: 0, clientErrors: 4, medianMs: 2.04, p99Ms: 3.14159 },
        baseline: { variant: 'digits-v1', requests: 360, errors: 1, medianMs: 2, p99Ms: 2.5 },
        comparison: 'relative',
        note: null,
        latency: { method: 'mann-whitney', u: 21000, pValue: 0.41234, alpha: 0.01, shiftMs: 0.04, minShiftMs: 1 },
        consecutiveFailures: 0,
        failureThreshold: 3,
        observedSeconds: 20,
        bakeSeconds: 30,
        paused: false,
      }),
      [
        '12:34:56  slo canary-1 pass (observed 20/30 s): canary window within SLO (server errors 0/120 (0%) within 1%)',
        '            candidate 120 req, 0 err, 4 client err, p50 2 ms, p99 3.1 ms; baseline 360 req, 1 err, p50 2 ms, p99 2.5 ms',
        '            latency: Mann–Whitney p = 0.4123 (α 0.01), shift +0.04 ms (minimum 1 ms)',
      ].join('\n'),
    ],
    [
      'slo.window fail, not yet rolling back',
      event('slo.window', {
        stepKey: 'canary-1',
        verdict: 'fail',
        hard: false,
        summary: 'canary window failed: candidate slower: latency shift +2 ms over median 2 ms ≥ 1 ms',
        checks: [
          { check: 'errorRate', passed: true, detail: 'server errors 0/30 (0%) within 1%' },
          {
            check: 'latencyShift',
            passed: false,
            detail: 'candidate slower: latency shift +2 ms over median 2 ms ≥ 1 ms',
          },
        ],
        candidate: { requests: 30, errors: 0, p99Ms: 40 },
        baseline: { requests: 90, errors: 0, p99Ms: 2 },
        latency: { method: 'mann-whitney', pValue: 0.00001, alpha: 0.01, shiftMs: 2, minShiftMs: 1 },
        consecutiveFailures: 2,
        failureThreshold: 3,
      }),
      [
        '12:34:56  slo canary-1 fail (2 of 3 in a row): canary window failed: candidate slower: latency shift +2 ms over median 2 ms ≥ 1 ms',
        '            candidate 30 req, 0 err, p99 40 ms; baseline 90 req, 0 err, p99 2 ms',
        '            latency: Mann–Whitney p = 1.0e-5 (α 0.01), shift +2 ms (minimum 1 ms)',
        '            ✗ candidate slower: latency shift +2 ms over median 2 ms ≥ 1 ms',
      ].join('\n'),
    ],
    [
      'slo.window hard fail on CloudWatch percentiles, baseline idle',
      event('slo.window', {
        stepKey: 'promoting',
        verdict: 'fail',
        hard: true,
        summary:
          'canary window failed: p99 80 ms > 50 ms [baseline digits-v1 served 0 successful requests in the window (fewer than 50): absolute limits only]',
        checks: [{ check: 'p99LatencyMs', passed: false, detail: 'p99 80 ms > 50 ms' }],
        candidate: { requests: 300, errors: 0, p99Ms: 80 },
        baseline: { requests: 0, errors: 0, p99Ms: 0 },
        comparison: 'absolute-only',
        note: 'baseline digits-v1 served 0 successful requests in the window (fewer than 50): absolute limits only',
        latency: null,
        consecutiveFailures: 1,
        failureThreshold: 3,
      }),
      [
        '12:34:56  slo promoting fail (hard): canary window failed: p99 80 ms > 50 ms [baseline digits-v1 served 0 successful requests in the window (fewer than 50): absolute limits only]',
        '            candidate 300 req, 0 err, p99 80 ms; baseline 0 req, 0 err, p99 0 ms',
        '            ✗ p99 80 ms > 50 ms',
      ].join('\n'),
    ],
    [
      'slo.window inconclusive (shadow, paused, percentile source)',
      event('slo.window', {
        stepKey: 'shadow',
        verdict: 'inconclusive',
        summary: 'shadow window: 3 of 100 samples needed',
        checks: [],
        candidate: { requests: 3, errors: 0, p99Ms: 1, agreement: 1 },
        baseline: null,
        latency: {
          method: 'percentile',
          note: 'CloudWatch reports percentiles only: Mann–Whitney test not available, median and p99 rules used',
        },
        paused: true,
      }),
      [
        '12:34:56  slo shadow inconclusive: shadow window: 3 of 100 samples needed (paused)',
        '            candidate 3 req, 0 err, p99 1 ms, agreement 1',
        '            latency: CloudWatch reports percentiles only: Mann–Whitney test not available, median and p99 rules used',
      ].join('\n'),
    ],
    [
      'step.completed advance',
      event('step.completed', { stepKey: 'canary-1', decision: 'advance' }),
      '12:34:56  step canary-1 done: baked, last window passed',
    ],
    [
      'step.completed wait-for-samples',
      event('step.completed', { stepKey: 'shadow', decision: 'wait-for-samples', maxSampleWaitSeconds: 300 }),
      '12:34:56  step shadow baked but short of samples: waiting up to 300 s for traffic',
    ],
    [
      'step.completed approved',
      event('step.completed', { stepKey: 'approval', decision: 'approved', by: 'ops-key' }),
      '12:34:56  approved by ops-key',
    ],
    [
      'step.completed promoted',
      event('step.completed', {
        stepKey: 'final',
        decision: 'promoted',
        candidate: { modelName: 'digits', version: 2 },
      }),
      '12:34:56  promoted: digits@2 is now production',
    ],
    [
      'signal.received alarm',
      event('signal.received', {
        signal: 'alarm',
        source: 'alertmanager',
        name: 'HighErrorRate',
        state: 'CANARY',
        action: 'rollback',
      }),
      '12:34:56  signal alarm HighErrorRate from alertmanager (in CANARY) → rollback',
    ],
    [
      'signal.received abort',
      event('signal.received', { signal: 'abort', by: 'eve', reason: 'wrong build', state: 'SHADOW', action: 'abort' }),
      '12:34:56  signal abort by eve: wrong build (in SHADOW) → abort',
    ],
    [
      'signal.received pause',
      event('signal.received', { signal: 'pause', by: null, state: 'CANARY' }),
      '12:34:56  signal pause (in CANARY)',
    ],
    [
      'rollback.completed',
      event('rollback.completed', {
        reason: 'SLO breach during canary: p99',
        variants: [{ ...v1, weight: 100 }],
        cleanupError: null,
      }),
      '12:34:56  rolled back (SLO breach during canary: p99): now digits-v1 primary 100%',
    ],
    [
      'cleanup.failed',
      event('cleanup.failed', { stepKey: 'cleanup', error: 'runtime unreachable' }),
      '12:34:56  cleanup failed: runtime unreachable (traffic is on the baseline; the candidate stays loaded at 0%)',
    ],
    [
      'rollout.finished',
      event('rollout.finished', { state: 'SUCCEEDED', reason: 'digits-v2 serves 100% of web' }),
      '12:34:56  finished SUCCEEDED: digits-v2 serves 100% of web',
    ],
    ['rollout.continued', event('rollout.continued', { run: 2 }), '12:34:56  continued as new (run 2)'],
    ['an unknown type', event('something.new', { a: 1 }), '12:34:56  something.new {"a":1}'],
    [
      'gate.evaluated (skipped)',
      event('gate.evaluated', { gate: { passed: true, skipped: true, summary: 'no gate rules', rules: [] } }),
      '12:34:56  gate skipped: no gate rules',
    ],
    [
      'gate.evaluated (summary with a count)',
      event('gate.evaluated', { gate: { passed: true, skipped: false, summary: 'gate passed (0 rules)', rules: [] } }),
      '12:34:56  gate passed (0 rules)',
    ],
  ])('renders %s', (_name, input, expected) => {
    expect(renderEventLine(input)).toBe(expected);
  });
});

describe(renderStatusLine.name, () => {
  it('shows state, step with bake progress, weights and flags', () => {
    expect(
      renderStatusLine({
        state: 'CANARY',
        live: {
          state: 'CANARY',
          step: {
            key: 'canary-2',
            phase: 'canary',
            ordinal: 3,
            canaryStep: 2,
            canarySteps: 3,
            weight: 25,
            bakeSeconds: 120,
            bakedSeconds: 42.7,
          },
          paused: true,
          awaitingApproval: false,
          reason: null,
          weights: [
            { name: 'digits-v1', role: 'primary', weight: 75 },
            { name: 'digits-v2', role: 'canary', weight: 25 },
          ],
          lastChecks: [],
        },
      }),
    ).toBe('CANARY | canary 2/3 baked 42/120s | digits-v1 primary 75%, digits-v2 canary 25% | PAUSED');
  });

  it('falls back to the state once the rollout has finished', () => {
    expect(renderStatusLine({ state: 'SUCCEEDED', live: null })).toBe('SUCCEEDED');
  });
});
