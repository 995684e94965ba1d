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
        summary: 'canary window within SLO (error rate 0 ≤ 0.01)',
        checks: [{ check: 'errorRate', passed: true, actual: 0, threshold: 0.01, detail: 'error rate 0 ≤ 0.01' }],
        candidate: { variant: 'digits-v2', requests: 120, errors: 0, p99Ms: 3.14159 },
        baseline: { variant: 'digits-v1', requests: 360, errors: 1, p99Ms: 2.5 },
        baselineSource: 'live',
        paused: false,
      }),
      [
        '12:34:56  slo canary-1 pass: canary window within SLO (error rate 0 ≤ 0.01)',
        '            candidate 120 req, 0 err, p99 3.1 ms; baseline 360 req, 1 err, p99 2.5 ms',
      ].join('\n'),
    ],
    [
      'slo.window breach',
      event('slo.window', {
        stepKey: 'canary-1',
        verdict: 'breach',
        summary: 'canary window breached: p99 40 ms > baseline 2 ms × 1.5 + 2 ms',
        checks: [
          { check: 'errorRate', passed: true, detail: 'error rate 0 ≤ 0.01' },
          { check: 'p99LatencyRelative', passed: false, detail: 'p99 40 ms > baseline 2 ms × 1.5 + 2 ms' },
        ],
        candidate: { requests: 30, errors: 0, p99Ms: 40 },
        baseline: { requests: 90, errors: 0, p99Ms: 2 },
        baselineSource: 'reference',
      }),
      [
        '12:34:56  slo canary-1 breach: canary window breached: p99 40 ms > baseline 2 ms × 1.5 + 2 ms',
        '            candidate 30 req, 0 err, p99 40 ms; baseline (reference) 90 req, 0 err, p99 2 ms',
        '            ✗ p99 40 ms > baseline 2 ms × 1.5 + 2 ms',
      ].join('\n'),
    ],
    [
      'slo.window insufficient (shadow, paused)',
      event('slo.window', {
        stepKey: 'shadow',
        verdict: 'insufficient',
        summary: 'shadow window: 3 of 100 samples needed',
        checks: [],
        candidate: { requests: 3, errors: 0, p99Ms: 1, agreement: 1 },
        baseline: null,
        paused: true,
      }),
      [
        '12:34:56  slo shadow insufficient: shadow window: 3 of 100 samples needed (paused)',
        '            candidate 3 req, 0 err, p99 1 ms, agreement 1',
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
