import { describe, expect, it } from '@jest/globals';
import { InvalidArgumentError } from 'commander';

import { buildRolloutPolicy, parseCanarySteps, parseFraction, parseSeconds } from './rollout-policy.util.js';

describe(buildRolloutPolicy.name, () => {
  it('leaves the policy to the server when nothing is given', () => {
    expect(buildRolloutPolicy({})).toBeUndefined();
  });

  it('builds every section from the flags', () => {
    expect(
      buildRolloutPolicy({
        gateDataset: { name: 'digits-test', version: 3 },
        minAccuracy: 0.9,
        maxAccuracyDrop: 0.02,
        canary: [
          { weight: 5, bakeSeconds: 120 },
          { weight: 50, bakeSeconds: 60 },
        ],
        shadowSeconds: 0,
        checkInterval: 5,
        requireApproval: true,
      }),
    ).toEqual({
      gate: { dataset: 'digits-test@3', minAccuracy: 0.9, maxAccuracyDrop: 0.02 },
      canary: {
        steps: [
          { weight: 5, bakeSeconds: 120 },
          { weight: 50, bakeSeconds: 60 },
        ],
      },
      shadow: { durationSeconds: 0 },
      checkIntervalSeconds: 5,
      promote: { requireApproval: true },
    });
  });

  it('merges flags over --policy, keeping its other fields, without changing it', () => {
    const base = {
      gate: { dataset: 'old@1', minMacroF1: 0.8 },
      slo: { minSamples: 0 },
      shadow: { enabled: false },
      checkIntervalSeconds: 30,
    };
    const built = buildRolloutPolicy({ policy: base, gateDataset: { name: 'new', version: 2 }, checkInterval: 1 });
    expect(built).toEqual({
      gate: { dataset: 'new@2', minMacroF1: 0.8 },
      slo: { minSamples: 0 },
      shadow: { enabled: false },
      checkIntervalSeconds: 1,
    });
    expect(base.gate.dataset).toBe('old@1');
  });

  it('does not send requireApproval: false when the flag is absent', () => {
    expect(buildRolloutPolicy({ policy: { promote: { requireApproval: true } } })).toEqual({
      promote: { requireApproval: true },
    });
  });
});

describe('policy flag parsers', () => {
  it('parses canary steps', () => {
    expect(parseCanarySteps('5:120,25:120, 50:0')).toEqual([
      { weight: 5, bakeSeconds: 120 },
      { weight: 25, bakeSeconds: 120 },
      { weight: 50, bakeSeconds: 0 },
    ]);
  });

  it.each(['', '5', '5:', 'a:1', '0:10', '100:10', '25:10,5:10', '5:10,5:10', '5:-1'])(
    'refuses canary steps %p',
    (raw) => {
      expect(() => parseCanarySteps(raw)).toThrow(InvalidArgumentError);
    },
  );

  it('parses fractions and seconds', () => {
    expect(parseFraction('0.85')).toBe(0.85);
    expect(parseFraction('1')).toBe(1);
    expect(parseSeconds('0')).toBe(0);
    for (const bad of ['', 'x', '-0.1', '1.5', 'NaN']) expect(() => parseFraction(bad)).toThrow(InvalidArgumentError);
    for (const bad of ['', '-1', '1.5', 'x']) expect(() => parseSeconds(bad)).toThrow(InvalidArgumentError);
  });
});
