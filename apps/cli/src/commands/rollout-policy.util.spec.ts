import { describe, expect, it } from '@jest/globals';
import { InvalidArgumentError } from 'commander';

import { FledgeError } from '@fledge/errors';

import { UsageError } from '../usage-error.js';
import {
  buildRolloutPolicy,
  parseCanarySteps,
  parseDuration,
  parseFraction,
  parseMilliseconds,
  parseSeconds,
  policyErrorInUserTerms,
} from './rollout-policy.util.js';

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

  it('merges flags into --policy, keeping its other fields, without changing it', () => {
    const base = {
      gate: { dataset: 'old@1', minMacroF1: 0.8 },
      slo: { minSamples: 0 },
      shadow: { enabled: false },
      checkIntervalSeconds: 30,
    };
    const built = buildRolloutPolicy({ policy: base, gateDataset: { name: 'old', version: 1 }, maxP99Ms: 25 });
    expect(built).toEqual({
      gate: { dataset: 'old@1', minMacroF1: 0.8 },
      slo: { minSamples: 0, maxP99LatencyMs: 25 },
      shadow: { enabled: false },
      checkIntervalSeconds: 30,
    });
    expect(base.slo).toEqual({ minSamples: 0 });
  });

  it.each([
    [
      { gateDataset: { name: 'new', version: 2 } },
      { gate: { dataset: 'old@1' } },
      '--gate-dataset new@2',
      'gate.dataset',
    ],
    [
      { gateDataset: { name: 'new', version: 2 } },
      { gate: { datasetVersionId: 'x' } },
      '--gate-dataset new@2',
      'gate.datasetVersionId',
    ],
    [{ checkInterval: 1 }, { checkIntervalSeconds: 30 }, '--check-interval 1', 'checkIntervalSeconds'],
    [{ maxErrorRate: 0.02 }, { slo: { maxErrorRate: 0.05 } }, '--max-error-rate 0.02', 'slo.maxErrorRate'],
    [{ shadow: false }, { shadow: { enabled: true } }, '--no-shadow', 'shadow.enabled'],
    [
      { bake: 30 },
      { promote: { bakeSeconds: 60 }, canary: { steps: [{ weight: 50, bakeSeconds: 30 }] } },
      '--bake 30',
      'promote.bakeSeconds',
    ],
    [
      { bake: 30 },
      { canary: { steps: [{ weight: 50, bakeSeconds: 120 }] } },
      '--bake 30',
      'canary.steps[0].bakeSeconds',
    ],
  ])('refuses a flag that contradicts --policy, naming both (%p over %p)', (flags, policy, flag, field) => {
    expect(() => buildRolloutPolicy({ ...flags, policy })).toThrow(UsageError);
    expect(() => buildRolloutPolicy({ ...flags, policy })).toThrow(`${flag} contradicts --policy ${field}`);
  });

  it('accepts a flag that repeats --policy', () => {
    expect(buildRolloutPolicy({ policy: { slo: { maxErrorRate: 0.05 } }, maxErrorRate: 0.05 })).toEqual({
      slo: { maxErrorRate: 0.05 },
    });
  });

  it('builds a short rollout from flags alone: SLOs, shadow, agreement, window and one bake for every stage', () => {
    expect(
      buildRolloutPolicy({
        canary: parseCanarySteps('25,50'),
        bake: 30,
        maxP99Ms: 40,
        maxErrorRate: 0.02,
        window: 20,
        checkInterval: 5,
        minAgreement: 0.9,
      }),
    ).toEqual({
      shadow: { durationSeconds: 30, minAgreement: 0.9 },
      canary: {
        steps: [
          { weight: 25, bakeSeconds: 30 },
          { weight: 50, bakeSeconds: 30 },
        ],
      },
      slo: { maxP99LatencyMs: 40, maxErrorRate: 0.02, windowSeconds: 20 },
      checkIntervalSeconds: 5,
      promote: { bakeSeconds: 30 },
    });
    expect(buildRolloutPolicy({ shadow: false })).toEqual({ shadow: { enabled: false } });
  });

  it('lets the more specific flag win over --bake, and --bake fill the bakes of --policy steps', () => {
    expect(buildRolloutPolicy({ bake: 10, shadowSeconds: 60, canary: parseCanarySteps('5:120,50') })).toMatchObject({
      shadow: { durationSeconds: 60 },
      canary: {
        steps: [
          { weight: 5, bakeSeconds: 120 },
          { weight: 50, bakeSeconds: 10 },
        ],
      },
      promote: { bakeSeconds: 10 },
    });
    expect(buildRolloutPolicy({ bake: 10, policy: { canary: { steps: [{ weight: 50 }] } } })).toMatchObject({
      canary: { steps: [{ weight: 50, bakeSeconds: 10 }] },
    });
  });

  it('asks for the canary steps when --bake has none to set, and for a bake when a step has none', () => {
    expect(() => buildRolloutPolicy({ bake: 30 })).toThrow('name the steps with --canary');
    expect(() => buildRolloutPolicy({ canary: parseCanarySteps('5,50') })).toThrow('--canary step 5 has no bake time');
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

  it('parses weights alone and bakes with units', () => {
    expect(parseCanarySteps('5,25:2m')).toEqual([{ weight: 5 }, { weight: 25, bakeSeconds: 120 }]);
  });

  it.each(['', '5:', 'a:1', '0:10', '100:10', '25:10,5:10', '5:10,5:10', '5:-1', '5:1d'])(
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

  it('parses durations and milliseconds', () => {
    expect([parseDuration('90'), parseDuration('90s'), parseDuration('2m'), parseDuration('1h')]).toEqual([
      90, 90, 120, 3600,
    ]);
    expect(parseMilliseconds('2.5')).toBe(2.5);
    for (const bad of ['', '1.5s', '-1', '2d', 'm']) expect(() => parseDuration(bad)).toThrow(InvalidArgumentError);
    for (const bad of ['', '0', '-3', 'x']) expect(() => parseMilliseconds(bad)).toThrow(InvalidArgumentError);
  });
});

describe(policyErrorInUserTerms.name, () => {
  const refused = (issues: { field: string; problem: string }[]) =>
    new FledgeError('INVALID_ARGUMENT', 'invalid rollout policy: …', {
      reason: 'POLICY_INVALID',
      details: { fields: issues.map((i) => i.field), issues },
    });

  it('names the flag that set a field, the --policy field, or the flag that would set it', () => {
    const error = policyErrorInUserTerms(
      refused([
        { field: 'gate.datasetVersionId', problem: 'is required when a gate rule is set' },
        { field: 'slo.maxErrorRate', problem: 'must be between 0 and 1' },
        { field: 'slo.p99LatencySlackMs', problem: 'must be between 0 and 600000' },
        { field: 'canary.steps[1].weight', problem: 'must be between 1 and 99' },
      ]),
      {
        minAccuracy: 0.9,
        maxErrorRate: 0.5,
        policy: { slo: { p99LatencySlackMs: -1 } },
        canary: [
          { weight: 5, bakeSeconds: 1 },
          { weight: 500, bakeSeconds: 1 },
        ],
      },
    );
    expect(error.message).toBe(
      'invalid rollout policy: --gate-dataset is required when a gate rule is set; --max-error-rate must be between 0 and 1; ' +
        '--policy slo.p99LatencySlackMs must be between 0 and 600000; --canary (step 2 weight) must be between 1 and 99',
    );
    expect(error.message).not.toContain('datasetVersionId');
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'POLICY_INVALID' });
  });

  it('names a gate dataset given in --policy as gate.dataset, and leaves other errors alone', () => {
    const error = policyErrorInUserTerms(
      refused([{ field: 'gate.datasetVersionId', problem: 'must be a dataset version id or null' }]),
      { policy: { gate: { dataset: '' } } },
    );
    expect(error.message).toBe('invalid rollout policy: --policy gate.dataset must be a dataset version id or null');
    const other = new FledgeError('NOT_FOUND', 'dataset version x@1 does not exist');
    expect(policyErrorInUserTerms(other, {})).toBe(other);
  });
});
