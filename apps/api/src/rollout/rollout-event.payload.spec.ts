import { describe, expect, it } from '@jest/globals';
import {
  evaluateCanaryWindow,
  evaluateGate,
  planTraffic,
  resolveRolloutPolicy,
  type VariantWindowStats,
  type VersionRef,
} from '@fledge/domain';

import { decodeEventPayload, decodeStep, decodeWindows } from './rollout-event.payload.js';

const candidate: VersionRef = {
  modelVersionId: '0190a0b0-0000-7000-8000-000000000002',
  modelName: 'digits',
  version: 2,
};
const baseline: VersionRef = {
  modelVersionId: '0190a0b0-0000-7000-8000-000000000001',
  modelName: 'digits',
  version: 1,
};
const at = '2026-12-01T10:00:00.000Z';

/** An SLO window as rollouts recorded it before the statistical judge (still in every database). */
const legacyWindow = {
  at,
  phase: 'canary',
  stepKey: 'canary-1',
  verdict: 'breach',
  summary: 'canary window breached: p99 41 ms > baseline 22 ms × 1.5 + 2 ms',
  checks: [
    { check: 'errorRate', passed: true, actual: 0, threshold: 0.01, detail: 'error rate 0 ≤ 0.01' },
    { check: 'p99LatencyRelative', passed: false, actual: 41, threshold: 35, detail: 'p99 41 ms > …' },
  ],
  candidate: { variant: 'digits-v2', requests: 93, errors: 0, p50Ms: 9, p95Ms: 30, p99Ms: 41, maxMs: 50 },
  baseline: { variant: 'digits-v1', requests: 94, errors: 0, p50Ms: 8, p95Ms: 15, p99Ms: 22, maxMs: 30 },
  baselineSource: 'live',
};

describe('decodeEventPayload', () => {
  it('types a gate evaluation with every rule and the evaluations it used', () => {
    const policy = resolveRolloutPolicy({ gate: { datasetVersionId: 'd1', minAccuracy: 0.9, maxAccuracyDrop: 0.01 } });
    const gate = evaluateGate(
      policy.gate,
      { kind: 'classification', accuracy: 0.92 } as never,
      {
        kind: 'classification',
        accuracy: 0.95,
      } as never,
    );
    const payload = decodeEventPayload('gate.evaluated', {
      gate,
      candidate: { evaluationId: 'e2', status: 'succeeded' },
      baseline: null,
    });
    expect(payload).toEqual({
      kind: 'gate.evaluated',
      gate: { ...gate, rules: gate.rules.map((r) => expect.objectContaining(r)) },
      candidateEvaluation: { evaluationId: 'e2', status: 'succeeded' },
      baselineEvaluation: null,
    });
    expect(gate.rules.map((r) => r.rule)).toEqual(['minAccuracy', 'maxAccuracyDrop']);
  });

  it('types a traffic change with its variants', () => {
    const variants = planTraffic({ phase: 'canary', weight: 25 }, candidate, baseline);
    expect(decodeEventPayload('traffic.applied', { stepKey: 'canary-1', variants, alreadyApplied: false })).toEqual({
      kind: 'traffic.applied',
      stepKey: 'canary-1',
      alreadyApplied: false,
      variants: [
        { name: 'digits-v1', role: 'primary', weight: 75, shadowSampleRate: 0 },
        { name: 'digits-v2', role: 'canary', weight: 25, shadowSampleRate: 0 },
      ],
    });
  });

  it('reads verdicts recorded before the statistical judge in its terms (breach → fail, insufficient → inconclusive)', () => {
    const payload = decodeEventPayload('slo.window', { ...legacyWindow, paused: false });
    expect(payload).toMatchObject({
      kind: 'slo.window',
      paused: false,
      window: {
        at: new Date(at),
        verdict: 'fail',
        phase: 'canary',
        candidate: { variant: 'digits-v2', p99Ms: 41, clientErrors: 0, agreement: null },
        checks: [{ check: 'errorRate' }, { check: 'p99LatencyRelative', passed: false, threshold: 35 }],
      },
    });
    const [window] = decodeWindows([{ ...legacyWindow, verdict: 'insufficient' }]);
    expect(window.verdict).toBe('inconclusive');
  });

  it("types a window as the statistical judge records it: every check's status, the rank test, the streak", () => {
    // Two latency histograms (1 ms bins): the candidate's is 4 ms slower throughout.
    const variant = (name: string, shiftMs: number): VariantWindowStats => ({
      variant: name,
      requests: 400,
      errors: 0,
      clientErrors: 3,
      source: 'local',
      latency: { valuesMs: [10, 11, 12, 13, 14].map((v) => v + shiftMs), counts: [40, 100, 120, 100, 37] },
      p50Ms: 12 + shiftMs,
      p95Ms: 14 + shiftMs,
      p99Ms: 14 + shiftMs,
      maxMs: 14 + shiftMs,
    });
    const slo = resolveRolloutPolicy({ slo: { minSamples: 50, windowSeconds: 10 } }).slo;
    const evaluation = evaluateCanaryWindow(slo, variant('digits-v2', 4), variant('digits-v1', 0));
    const judged = (stats: VariantWindowStats, counted: typeof evaluation.candidate) => {
      const { latency: _bins, ...rest } = stats;
      return { ...rest, ...counted };
    };
    const recorded = {
      ...evaluation,
      at,
      phase: 'canary',
      stepKey: 'canary-1',
      candidate: judged(variant('digits-v2', 4), evaluation.candidate),
      baseline: judged(variant('digits-v1', 0), evaluation.baseline!),
      consecutiveFailures: 2,
      failureThreshold: 3,
      observedSeconds: 20,
      bakeSeconds: 30,
      paused: false,
    };
    const payload = decodeEventPayload('slo.window', recorded);
    expect(payload.kind).toBe('slo.window');
    const { window } = payload as Extract<typeof payload, { kind: 'slo.window' }>;
    expect(window).toMatchObject({
      verdict: evaluation.verdict,
      hard: evaluation.hard,
      comparison: 'relative',
      consecutiveFailures: 2,
      failureThreshold: 3,
      observedSeconds: 20,
      bakeSeconds: 30,
      candidate: { variant: 'digits-v2', clientErrors: 3, judgedRequests: evaluation.candidate.judgedRequests },
      latency: { method: 'mann-whitney', u: evaluation.latency!.u, pValue: evaluation.latency!.pValue },
    });
    expect(window.checks).toEqual(
      evaluation.checks.map((c) => ({ ...c, status: c.status, pValue: c.pValue, hard: c.hard })),
    );
    expect(window.checks.find((c) => c.check === 'latencyShift')).toMatchObject({ status: 'fail', passed: false });
  });

  it('types a rollback with its cause in words, the last windows and what serves now', () => {
    const payload = decodeEventPayload('rollback.completed', {
      cause: { kind: 'alarm', source: 'alertmanager', name: 'HighLatency', alarmId: 'a1' },
      reason: 'alarm HighLatency from alertmanager',
      lastChecks: [legacyWindow],
      variants: planTraffic({ phase: 'baseline' }, candidate, baseline),
      cleanupError: null,
    });
    expect(payload).toMatchObject({
      kind: 'rollback.completed',
      cause: { kind: 'alarm', description: 'alarm HighLatency from alertmanager', name: 'HighLatency', by: null },
      lastChecks: [{ stepKey: 'canary-1', verdict: 'fail' }],
      variants: [{ name: 'digits-v1', weight: 100 }],
      cleanupError: null,
    });
  });

  it('types signals with who sent them, when, and what they did', () => {
    expect(
      decodeEventPayload('signal.received', {
        signal: 'alarm',
        source: 'cloudwatch',
        name: 'Errors',
        detail: { summary: '5xx above 1%', extra: [1, 2] },
        at,
        state: 'CANARY',
        action: 'rollback',
      }),
    ).toEqual({
      kind: 'signal.received',
      signal: 'alarm',
      receivedAt: new Date(at),
      state: 'CANARY',
      action: 'rollback',
      by: null,
      reason: null,
      source: 'cloudwatch',
      name: 'Errors',
      alarmId: null,
      summary: '5xx above 1%',
      awaitingApproval: null,
    });
  });

  it('fills fields that older workflows did not record', () => {
    expect(decodeEventPayload('rollout.finished', { state: 'SUCCEEDED', reason: 'digits-v2 serves 100%' })).toEqual({
      kind: 'rollout.finished',
      state: 'SUCCEEDED',
      reason: 'digits-v2 serves 100%',
      variants: [],
      gate: null,
      cause: null,
      lastChecks: [],
      cleanupError: null,
    });
  });

  it('shows an unknown event type, or one that does not decode, as unrecognized with its raw detail', () => {
    expect(decodeEventPayload('canary.analysed', { score: 0.9 })).toEqual({
      kind: 'unrecognized',
      type: 'canary.analysed',
      detail: { score: 0.9 },
    });
    expect(decodeEventPayload('traffic.applied', { stepKey: 7 })).toEqual({
      kind: 'unrecognized',
      type: 'traffic.applied',
      detail: { stepKey: 7 },
    });
    expect(decodeEventPayload('toString', {})).toMatchObject({ kind: 'unrecognized' });
  });
});

describe('live status', () => {
  it('types the current step; a step or window that does not decode is dropped', () => {
    const step = {
      key: 'canary-1',
      phase: 'canary',
      ordinal: 2,
      canaryStep: 1,
      canarySteps: 2,
      weight: 25,
      bakeSeconds: 60,
      bakedSeconds: 12,
    };
    expect(decodeStep(step)).toEqual(step);
    expect(decodeStep({ key: 'x', phase: 'warp' })).toBeNull();
    expect(decodeWindows([legacyWindow, { stepKey: 'broken' }])).toHaveLength(1);
    expect(decodeWindows('nonsense')).toEqual([]);
  });
});
