import { describe, expect, it } from '@jest/globals';
import { FledgeError } from '@fledge/errors';

import { defaultRolloutPolicy, resolveRolloutPolicy } from './rollout-policy.js';

function fieldsOf(input: unknown): string[] {
  try {
    resolveRolloutPolicy(input as never);
  } catch (error) {
    expect(FledgeError.is(error, 'INVALID_ARGUMENT')).toBe(true);
    return (error as FledgeError).details.fields as string[];
  }
  throw new Error('expected the policy to be refused');
}

describe(resolveRolloutPolicy.name, () => {
  it('fills every field from the defaults', () => {
    expect(resolveRolloutPolicy(undefined)).toEqual(defaultRolloutPolicy);
  });

  it('merges a partial policy over the defaults', () => {
    const sut = resolveRolloutPolicy({
      gate: { datasetVersionId: 'ds-1', minAccuracy: 0.9 },
      canary: { steps: [{ weight: 10, bakeSeconds: 0 }] },
      slo: { maxP99LatencyMs: 5 },
    });
    expect(sut.gate).toMatchObject({ datasetVersionId: 'ds-1', minAccuracy: 0.9, maxAccuracyDrop: 0.01 });
    expect(sut.canary.steps).toEqual([{ weight: 10, bakeSeconds: 0 }]);
    expect(sut.slo).toMatchObject({ maxP99LatencyMs: 5, maxErrorRate: 0.01 });
  });

  it('names each bad field', () => {
    expect(fieldsOf({ slo: { maxErrorRate: 2 } })).toEqual(['slo.maxErrorRate']);
    expect(
      fieldsOf({
        canary: {
          steps: [
            { weight: 50, bakeSeconds: 1 },
            { weight: 25, bakeSeconds: 1 },
          ],
        },
      }),
    ).toEqual(['canary.steps[1].weight']);
    expect(fieldsOf({ canary: { steps: [{ weight: 100, bakeSeconds: -1 }] } })).toEqual([
      'canary.steps[0].weight',
      'canary.steps[0].bakeSeconds',
    ]);
    expect(fieldsOf({ shadow: { sampleRate: 0 }, checkIntervalSeconds: 0.5 })).toEqual([
      'shadow.sampleRate',
      'checkIntervalSeconds',
    ]);
    expect(fieldsOf({ shadow: { regressionTolerance: -0.1 } })).toEqual(['shadow.regressionTolerance']);
    expect(fieldsOf({ gate: { minAccuracy: 0.9 } })).toEqual(['gate.datasetVersionId']);
    expect(fieldsOf({ slo: { p99: 3 }, bake: 1 })).toEqual(['bake', 'slo.p99']);
    expect(fieldsOf({ promote: { requireApproval: 'yes' } })).toEqual(['promote.requireApproval']);
  });

  it('validates the judge fields', () => {
    expect(resolveRolloutPolicy({}).slo).toMatchObject({
      alpha: 0.01,
      minLatencyShiftMs: 1,
      minLatencyShiftRatio: 0.2,
      failureThreshold: 2,
      countClientErrors: false,
    });
    expect(
      fieldsOf({
        slo: {
          alpha: 0,
          minLatencyShiftMs: -1,
          minLatencyShiftRatio: 'x',
          failureThreshold: 1.5,
          countClientErrors: 1,
        },
      }),
    ).toEqual([
      'slo.countClientErrors',
      'slo.alpha',
      'slo.minLatencyShiftMs',
      'slo.minLatencyShiftRatio',
      'slo.failureThreshold',
    ]);
    expect(fieldsOf({ slo: { alpha: 0.6 } })).toEqual(['slo.alpha']);
    expect(fieldsOf({ slo: { failureThreshold: 0 } })).toEqual(['slo.failureThreshold']);
  });

  it('refuses thresholds that contradict each other, naming both fields', () => {
    expect(fieldsOf({ slo: { windowSeconds: 5 }, checkIntervalSeconds: 10 })).toEqual([
      'slo.windowSeconds',
      'checkIntervalSeconds',
    ]);
    expect(() => resolveRolloutPolicy({ slo: { windowSeconds: 5 }, checkIntervalSeconds: 10 })).toThrow(
      'invalid rollout policy: slo.windowSeconds (5) must be at least checkIntervalSeconds (10): traffic between two windows would never be judged',
    );
    expect(fieldsOf({ slo: { maxP99LatencyMs: 5, minLatencyShiftMs: 5 } })).toEqual([
      'slo.minLatencyShiftMs',
      'slo.maxP99LatencyMs',
    ]);
    expect(resolveRolloutPolicy({ slo: { maxP99LatencyMs: 5, minLatencyShiftMs: 4 } }).slo.maxP99LatencyMs).toBe(5);
    expect(resolveRolloutPolicy({ slo: { windowSeconds: 10 }, checkIntervalSeconds: 10 }).slo.windowSeconds).toBe(10);
  });

  it('says what is wrong in the message', () => {
    expect(() => resolveRolloutPolicy({ slo: { maxErrorRate: -1 } })).toThrow(
      'invalid rollout policy: slo.maxErrorRate must be between 0 and 1',
    );
  });
});
