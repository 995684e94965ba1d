import { describe, expect, it } from '@jest/globals';
import { type EventPayload, type RolloutEventView, type SloWindowFieldsFragment } from '@fledge/client';

import { renderEventLine, renderStatusLine } from './rollout-event.renderer.js';

const at = '2026-11-23T12:34:56.789Z';
const typeOf: Record<EventPayload['__typename'], string> = {
  RolloutStartedEvent: 'rollout.started',
  RolloutContinuedEvent: 'rollout.continued',
  RolloutFinishedEvent: 'rollout.finished',
  StateChangedEvent: 'state.changed',
  GateEvaluatedEvent: 'gate.evaluated',
  TrafficAppliedEvent: 'traffic.applied',
  SloWindowCheckedEvent: 'slo.window',
  StepCompletedEvent: 'step.completed',
  SignalReceivedEvent: 'signal.received',
  RollbackCompletedEvent: 'rollback.completed',
  CleanupFailedEvent: 'cleanup.failed',
  UnrecognizedRolloutEvent: 'something.new',
};
const event = (payload: EventPayload): RolloutEventView => ({ seq: 1, type: typeOf[payload.__typename], at, payload });

const v1 = { name: 'digits-v1', role: 'primary', weight: 75, shadowSampleRate: 0 };
const v2 = { name: 'digits-v2', role: 'canary', weight: 25, shadowSampleRate: 0 };
const stats = (variant: string, requests: number, errors: number, p99Ms: number, agreement: number | null = null) => ({
  variant,
  requests,
  errors,
  clientErrors: 0,
  p50Ms: 1,
  p95Ms: p99Ms,
  p99Ms,
  maxMs: p99Ms,
  shadowSamples: null,
  agreement,
  source: 'local',
  judgedRequests: requests,
  successes: requests - errors,
  serverErrors: errors,
  errorRate: requests ? errors / requests : 0,
  medianMs: null,
});
const check = (check: string, passed: boolean, detail: string) => ({
  check,
  status: passed ? ('PASS' as const) : ('FAIL' as const),
  passed,
  hard: false,
  actual: null,
  threshold: null,
  pValue: null,
  detail,
});
const mannWhitney = (pValue: number, shiftMs: number) => ({
  method: 'mann-whitney',
  source: 'local',
  note: null,
  u: 21000,
  pValue,
  exact: false,
  shiftMs,
  shiftRatio: null,
  alpha: 0.01,
  minShiftMs: 1,
});
const window = (fields: Partial<SloWindowFieldsFragment>): SloWindowFieldsFragment => ({
  at,
  phase: 'CANARY',
  stepKey: 'canary-1',
  verdict: 'PASS',
  hard: false,
  comparison: 'RELATIVE',
  note: null,
  summary: '',
  checks: [],
  latency: null,
  candidate: stats('digits-v2', 0, 0, 0),
  baseline: null,
  consecutiveFailures: 0,
  failureThreshold: 3,
  observedSeconds: null,
  bakeSeconds: null,
  ...fields,
});
const signal = { receivedAt: at, by: null, reason: null, source: null, name: null, alarmId: null, summary: null };
const step = { evidence: null, maxSampleWaitSeconds: null, by: null, promoted: null, replaced: null };

describe(renderEventLine.name, () => {
  it.each<[string, RolloutEventView, string]>([
    [
      'rollout.started',
      event({
        __typename: 'RolloutStartedEvent',
        candidate: { modelVersionId: 'b', modelName: 'digits', version: 2 },
        baseline: null,
        initiatedBy: 'ci',
        stages: ['shadow', 'canary-1', 'promoting', 'final'],
      }),
      '12:34:56  started: stages shadow → canary-1 → promoting → final',
    ],
    [
      'state.changed',
      event({ __typename: 'StateChangedEvent', state: 'CANARY', reason: 'canary step 1 of 2: 25%', step: null }),
      '12:34:56  state CANARY: canary step 1 of 2: 25%',
    ],
    [
      'state.changed without reason',
      event({ __typename: 'StateChangedEvent', state: 'GATING', reason: null, step: null }),
      '12:34:56  state GATING',
    ],
    [
      'gate.evaluated',
      event({
        __typename: 'GateEvaluatedEvent',
        gate: {
          passed: false,
          skipped: false,
          summary: 'gate failed: accuracyDrop',
          rules: [
            { rule: 'minAccuracy', passed: true, actual: 0.93, threshold: 0.85, reason: 'minAccuracy: 0.93 ≥ 0.85' },
            { rule: 'accuracyDrop', passed: false, actual: 0.04, threshold: 0.01, reason: 'accuracyDrop: 0.04 > 0.01' },
          ],
        },
        candidateEvaluation: { evaluationId: 'e2', status: 'succeeded' },
        baselineEvaluation: null,
      }),
      [
        '12:34:56  gate failed: accuracyDrop',
        '            ✓ minAccuracy: 0.93 ≥ 0.85',
        '            ✗ accuracyDrop: 0.04 > 0.01',
      ].join('\n'),
    ],
    [
      'traffic.applied (canary)',
      event({ __typename: 'TrafficAppliedEvent', stepKey: 'canary-1', variants: [v1, v2], alreadyApplied: false }),
      '12:34:56  traffic canary-1: digits-v1 primary 75%, digits-v2 canary 25%',
    ],
    [
      'traffic.applied (shadow, replayed)',
      event({
        __typename: 'TrafficAppliedEvent',
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
      'slo.window pass, with the rank test and the bake observed so far',
      event({
        __typename: 'SloWindowCheckedEvent',
        paused: false,
        window: window({
          summary: 'canary window within SLO (server errors 0/120 (0%) within 1%)',
          checks: [check('errorRate', true, 'server errors 0/120 (0%) within 1%')],
          candidate: { ...stats('digits-v2', 120, 0, 3.14159), clientErrors: 4, medianMs: 2.04 },
          baseline: { ...stats('digits-v1', 360, 1, 2.5), medianMs: 2 },
          latency: mannWhitney(0.41234, 0.04),
          observedSeconds: 20,
          bakeSeconds: 30,
        }),
      }),
      [
        '12:34:56  slo canary-1 pass (observed 20/30 s): canary window within SLO (server errors 0/120 (0%) within 1%)',
        '            candidate 120 req, 0 err, 4 client err, p50 2 ms, p99 3.1 ms; baseline 360 req, 1 err, p50 2 ms, p99 2.5 ms',
        '            latency: Mann–Whitney p = 0.4123 (α 0.01), shift +0.04 ms (minimum 1 ms)',
      ].join('\n'),
    ],
    [
      'slo.window fail, not yet rolling back',
      event({
        __typename: 'SloWindowCheckedEvent',
        paused: false,
        window: window({
          verdict: 'FAIL',
          summary: 'canary window failed: candidate slower: latency shift +2 ms over median 2 ms ≥ 1 ms',
          checks: [
            check('errorRate', true, 'server errors 0/30 (0%) within 1%'),
            check('latencyShift', false, 'candidate slower: latency shift +2 ms over median 2 ms ≥ 1 ms'),
          ],
          candidate: stats('digits-v2', 30, 0, 40),
          baseline: stats('digits-v1', 90, 0, 2),
          latency: mannWhitney(0.00001, 2),
          consecutiveFailures: 2,
          failureThreshold: 3,
        }),
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
      event({
        __typename: 'SloWindowCheckedEvent',
        paused: false,
        window: window({
          stepKey: 'promoting',
          phase: 'PROMOTING',
          verdict: 'FAIL',
          hard: true,
          comparison: 'ABSOLUTE_ONLY',
          summary:
            'canary window failed: p99 80 ms > 50 ms [baseline digits-v1 served 0 successful requests in the window (fewer than 50): absolute limits only]',
          note: 'baseline digits-v1 served 0 successful requests in the window (fewer than 50): absolute limits only',
          checks: [check('p99LatencyMs', false, 'p99 80 ms > 50 ms')],
          candidate: stats('digits-v2', 300, 0, 80),
          baseline: stats('digits-v1', 0, 0, 0),
          consecutiveFailures: 1,
        }),
      }),
      [
        '12:34:56  slo promoting fail (hard): canary window failed: p99 80 ms > 50 ms [baseline digits-v1 served 0 successful requests in the window (fewer than 50): absolute limits only]',
        '            candidate 300 req, 0 err, p99 80 ms; baseline 0 req, 0 err, p99 0 ms',
        '            ✗ p99 80 ms > 50 ms',
      ].join('\n'),
    ],
    [
      'slo.window inconclusive (shadow, paused, percentile source)',
      event({
        __typename: 'SloWindowCheckedEvent',
        paused: true,
        window: window({
          phase: 'SHADOW',
          stepKey: 'shadow',
          verdict: 'INCONCLUSIVE',
          summary: 'shadow window: 3 of 100 samples needed',
          candidate: stats('digits-v2', 3, 0, 1, 1),
          latency: {
            ...mannWhitney(0, 0),
            method: 'percentile',
            note: 'CloudWatch reports percentiles only: Mann–Whitney test not available, median and p99 rules used',
          },
        }),
      }),
      [
        '12:34:56  slo shadow inconclusive: shadow window: 3 of 100 samples needed (paused)',
        '            candidate 3 req, 0 err, p99 1 ms, agreement 1',
        '            latency: CloudWatch reports percentiles only: Mann–Whitney test not available, median and p99 rules used',
      ].join('\n'),
    ],
    [
      'step.completed advance',
      event({ __typename: 'StepCompletedEvent', ...step, stepKey: 'canary-1', decision: 'advance' }),
      '12:34:56  step canary-1 done: baked, last window passed',
    ],
    [
      'step.completed wait-for-samples',
      event({
        __typename: 'StepCompletedEvent',
        ...step,
        stepKey: 'shadow',
        decision: 'wait-for-samples',
        maxSampleWaitSeconds: 300,
      }),
      '12:34:56  step shadow baked but short of samples: waiting up to 300 s for traffic',
    ],
    [
      'step.completed approved',
      event({ __typename: 'StepCompletedEvent', ...step, stepKey: 'approval', decision: 'approved', by: 'ops-key' }),
      '12:34:56  approved by ops-key',
    ],
    [
      'step.completed promoted',
      event({
        __typename: 'StepCompletedEvent',
        ...step,
        stepKey: 'final',
        decision: 'promoted',
        promoted: { modelVersionId: 'b', modelName: 'digits', version: 2 },
      }),
      '12:34:56  promoted: digits@2 is now production',
    ],
    [
      'signal.received alarm',
      event({
        __typename: 'SignalReceivedEvent',
        ...signal,
        signal: 'alarm',
        source: 'alertmanager',
        name: 'HighErrorRate',
        state: 'CANARY',
        action: 'rollback',
        awaitingApproval: null,
      }),
      '12:34:56  signal alarm HighErrorRate from alertmanager (in CANARY) → rollback',
    ],
    [
      'signal.received abort',
      event({
        __typename: 'SignalReceivedEvent',
        ...signal,
        signal: 'abort',
        by: 'eve',
        reason: 'wrong build',
        state: 'SHADOW',
        action: 'abort',
        awaitingApproval: null,
      }),
      '12:34:56  signal abort by eve: wrong build (in SHADOW) → abort',
    ],
    [
      'signal.received pause',
      event({
        __typename: 'SignalReceivedEvent',
        ...signal,
        signal: 'pause',
        state: 'CANARY',
        action: null,
        awaitingApproval: null,
      }),
      '12:34:56  signal pause (in CANARY)',
    ],
    [
      'rollback.completed',
      event({
        __typename: 'RollbackCompletedEvent',
        cause: null,
        reason: 'SLO breach during canary: p99',
        variants: [{ ...v1, weight: 100 }],
        lastChecks: [],
        cleanupError: null,
      }),
      '12:34:56  rolled back (SLO breach during canary: p99): now digits-v1 primary 100%',
    ],
    [
      'cleanup.failed',
      event({ __typename: 'CleanupFailedEvent', stepKey: 'cleanup', error: 'runtime unreachable' }),
      '12:34:56  cleanup failed: runtime unreachable (traffic is on the baseline; the candidate stays loaded at 0%)',
    ],
    [
      'rollout.finished',
      event({
        __typename: 'RolloutFinishedEvent',
        state: 'SUCCEEDED',
        reason: 'digits-v2 serves 100% of web',
        variants: [],
        cause: null,
        cleanupError: null,
      }),
      '12:34:56  finished SUCCEEDED: digits-v2 serves 100% of web',
    ],
    [
      'rollout.continued',
      event({ __typename: 'RolloutContinuedEvent', run: 2, historyLength: 10_000 }),
      '12:34:56  continued as new (run 2)',
    ],
    [
      'an unknown type',
      event({ __typename: 'UnrecognizedRolloutEvent', type: 'something.new', detail: { a: 1 } }),
      '12:34:56  something.new {"a":1}',
    ],
    [
      'gate.evaluated (skipped)',
      event({
        __typename: 'GateEvaluatedEvent',
        gate: { passed: true, skipped: true, summary: 'no gate rules', rules: [] },
        candidateEvaluation: null,
        baselineEvaluation: null,
      }),
      '12:34:56  gate skipped: no gate rules',
    ],
    [
      'gate.evaluated (summary with a count)',
      event({
        __typename: 'GateEvaluatedEvent',
        gate: { passed: true, skipped: false, summary: 'gate passed (0 rules)', rules: [] },
        candidateEvaluation: null,
        baselineEvaluation: null,
      }),
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
            phase: 'CANARY',
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
            { name: 'digits-v1', role: 'primary', weight: 75, shadowSampleRate: 0 },
            { name: 'digits-v2', role: 'canary', weight: 25, shadowSampleRate: 0 },
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
