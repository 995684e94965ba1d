import { describe, expect, it } from '@jest/globals';
import { type EventPayload, type SloWindowFieldsFragment, type VariantWindowStatsFieldsFragment } from '@fledge/client';

import { describeEvent, formatWeights } from './rollout-watcher.js';

const event = (payload: EventPayload) => ({ payload });
const stats = (variant: string, requests: number, p99Ms: number): VariantWindowStatsFieldsFragment => ({
  variant,
  requests,
  errors: 0,
  clientErrors: 0,
  p50Ms: p99Ms / 2,
  p95Ms: p99Ms,
  p99Ms,
  maxMs: p99Ms,
  shadowSamples: 0,
  agreement: null,
  source: 'local',
  judgedRequests: requests,
  successes: requests,
  serverErrors: 0,
  errorRate: 0,
  medianMs: null,
});

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
    const slo = (window: Partial<SloWindowFieldsFragment>) =>
      describeEvent(
        event({
          __typename: 'SloWindowCheckedEvent',
          paused: false,
          window: {
            at: '2026-01-01T00:00:00Z',
            phase: 'CANARY',
            stepKey: 'canary-1',
            verdict: 'FAIL',
            hard: false,
            comparison: 'RELATIVE',
            note: null,
            summary: '',
            checks: [],
            latency: null,
            candidate: stats('m-v3', 90, 40.04),
            baseline: null,
            consecutiveFailures: 1,
            failureThreshold: 3,
            observedSeconds: null,
            bakeSeconds: null,
            ...window,
          },
        }),
      );
    expect(
      slo({
        consecutiveFailures: 2,
        summary: 'canary window failed: candidate slower: latency shift +17.5 ms over median 20 ms ≥ 4 ms',
        candidate: { ...stats('m-v3', 90, 40.04), clientErrors: 3, medianMs: 37.5 },
        baseline: { ...stats('m-v2', 91, 20), medianMs: 20 },
        latency: {
          method: 'mann-whitney',
          source: 'local',
          note: null,
          u: 500,
          pValue: 0.000012,
          exact: false,
          shiftMs: 17.5,
          shiftRatio: 0.875,
          alpha: 0.01,
          minShiftMs: 4,
        },
      }),
    ).toBe(
      'SLO window [canary-1] FAIL 2/3: m-v3 p50 37.5 ms p99 40.0 ms (90 req, 0 err, 3 client err); m-v2 p50 20.0 ms p99 20.0 ms (91 req, 0 err); shift +17.50 ms, p 1.2e-5  — canary window failed: candidate slower: latency shift +17.5 ms over median 20 ms ≥ 4 ms',
    );
    expect(
      slo({
        hard: true,
        summary: 'canary window failed: server errors 12/200 (6%) > 1%',
        candidate: { ...stats('m-v3', 200, 3), errors: 12 },
      }),
    ).toBe(
      'SLO window [canary-1] FAIL (hard): m-v3 p99 3.0 ms (200 req, 12 err)  — canary window failed: server errors 12/200 (6%) > 1%',
    );
  });

  it('prints the gate rules, state changes and traffic steps, and leaves bookkeeping events out', () => {
    expect(
      describeEvent(
        event({
          __typename: 'GateEvaluatedEvent',
          candidateEvaluation: null,
          baselineEvaluation: null,
          gate: {
            passed: false,
            skipped: false,
            summary: 'gate failed',
            rules: [
              { rule: 'minAccuracy', passed: false, actual: 0.5, threshold: 0.85, reason: 'minAccuracy: 0.5 < 0.85' },
            ],
          },
        }),
      ),
    ).toBe('offline gate FAILED: minAccuracy: 0.5 < 0.85');
    expect(
      describeEvent(event({ __typename: 'StateChangedEvent', state: 'CANARY', reason: 'step 1 of 2', step: null })),
    ).toBe('state → CANARY  (step 1 of 2)');
    expect(
      describeEvent(
        event({
          __typename: 'TrafficAppliedEvent',
          stepKey: 'rollback',
          alreadyApplied: false,
          variants: [{ name: 'm-v1', role: 'primary', weight: 100, shadowSampleRate: 0 }],
        }),
      ),
    ).toBe('traffic [rollback] m-v1 100%');
    expect(
      describeEvent(
        event({
          __typename: 'SignalReceivedEvent',
          signal: 'alarm',
          name: 'HighErrors',
          source: 'alertmanager',
          action: 'rollback',
          receivedAt: '2026-01-01T00:00:00Z',
          state: 'CANARY',
          by: null,
          reason: null,
          alarmId: null,
          summary: null,
          awaitingApproval: null,
        }),
      ),
    ).toBe('signal alarm HighErrors from alertmanager → rollback');
    expect(describeEvent(event({ __typename: 'RolloutContinuedEvent', run: 2, historyLength: null }))).toBeNull();
  });
});
