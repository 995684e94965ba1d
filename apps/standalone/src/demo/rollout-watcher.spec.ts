import { describe, expect, it } from '@jest/globals';

import { describeEvent, formatWeights } from './rollout-watcher.js';

const event = (type: string, detail: Record<string, unknown>) => ({ seq: 1, type, at: '2026-01-01T00:00:00Z', detail });

describe('the demo rollout printer', () => {
  it('shows weights, with shadows as mirrored traffic', () => {
    expect(
      formatWeights([
        { name: 'm-v1', role: 'primary', weight: 100 },
        { name: 'm-v2', role: 'shadow', weight: 0, shadowSampleRate: 0.5 },
      ]),
    ).toBe('m-v1 100% | m-v2 shadow (mirrors 50%)');
  });

  it('prints an SLO window with both variants, the rank test and, on a failure, why and how many in a row', () => {
    const line = describeEvent(
      event('slo.window', {
        stepKey: 'canary-1',
        verdict: 'fail',
        hard: false,
        consecutiveFailures: 2,
        failureThreshold: 3,
        summary: 'canary window failed: candidate slower: latency shift +17.5 ms over median 20 ms ≥ 4 ms',
        candidate: { variant: 'm-v3', requests: 90, errors: 0, clientErrors: 3, medianMs: 37.5, p99Ms: 40.04 },
        baseline: { variant: 'm-v2', requests: 91, errors: 0, medianMs: 20, p99Ms: 20 },
        latency: { method: 'mann-whitney', pValue: 0.000012, shiftMs: 17.5 },
      }),
    );
    expect(line).toBe(
      'SLO window [canary-1] FAIL 2/3: m-v3 p50 37.5 ms p99 40.0 ms (90 req, 0 err, 3 client err); m-v2 p50 20.0 ms p99 20.0 ms (91 req, 0 err); shift +17.50 ms, p 1.2e-5  — canary window failed: candidate slower: latency shift +17.5 ms over median 20 ms ≥ 4 ms',
    );
    const hard = describeEvent(
      event('slo.window', {
        stepKey: 'canary-1',
        verdict: 'fail',
        hard: true,
        summary: 'canary window failed: server errors 12/200 (6%) > 1%',
        candidate: { variant: 'm-v3', requests: 200, errors: 12, p99Ms: 3 },
        baseline: null,
      }),
    );
    expect(hard).toBe(
      'SLO window [canary-1] FAIL (hard): m-v3 p99 3.0 ms (200 req, 12 err)  — canary window failed: server errors 12/200 (6%) > 1%',
    );
  });

  it('prints the gate rules, state changes and traffic steps, and leaves bookkeeping events out', () => {
    expect(
      describeEvent(
        event('gate.evaluated', {
          gate: {
            passed: false,
            skipped: false,
            summary: 'gate failed',
            rules: [{ reason: 'minAccuracy: 0.5 < 0.85' }],
          },
        }),
      ),
    ).toBe('offline gate FAILED: minAccuracy: 0.5 < 0.85');
    expect(describeEvent(event('state.changed', { state: 'CANARY', reason: 'step 1 of 2' }))).toBe(
      'state → CANARY  (step 1 of 2)',
    );
    expect(
      describeEvent(
        event('traffic.applied', { stepKey: 'rollback', variants: [{ name: 'm-v1', role: 'primary', weight: 100 }] }),
      ),
    ).toBe('traffic [rollback] m-v1 100%');
    expect(
      describeEvent(
        event('signal.received', { signal: 'alarm', name: 'HighErrors', source: 'alertmanager', action: 'rollback' }),
      ),
    ).toBe('signal alarm HighErrors from alertmanager → rollback');
    expect(describeEvent(event('rollout.continued', { run: 2 }))).toBeNull();
  });
});
