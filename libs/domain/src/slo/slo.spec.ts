import { describe, expect, it } from '@jest/globals';

import { resolveRolloutPolicy } from '../policy/rollout-policy.js';
import { evaluateCanaryWindow, evaluateShadowWindow, type VariantWindowStats } from './slo.js';

const stats = (over: Partial<VariantWindowStats>): VariantWindowStats => ({
  variant: 'm-v2',
  requests: 1000,
  errors: 0,
  p50Ms: 1,
  p95Ms: 2,
  p99Ms: 3,
  maxMs: 4,
  ...over,
});

describe(evaluateCanaryWindow.name, () => {
  const policy = resolveRolloutPolicy({
    slo: { maxP99LatencyMs: 10, maxP99LatencyRatio: 1.5, p99LatencySlackMs: 1, maxErrorRate: 0.01, minSamples: 100 },
  });

  it('passes within the absolute and relative latency bounds and the error budget', () => {
    const sut = evaluateCanaryWindow(policy.slo, stats({ p99Ms: 5, errors: 10 }), stats({ variant: 'm-v1', p99Ms: 4 }));
    expect(sut.verdict).toBe('pass');
    expect(sut.checks.map((c) => c.check)).toEqual(['errorRate', 'p99LatencyMs', 'p99LatencyRelative']);
  });

  it('breaches on p99 relative to the baseline (ratio plus slack)', () => {
    const sut = evaluateCanaryWindow(policy.slo, stats({ p99Ms: 7.01 }), stats({ variant: 'm-v1', p99Ms: 4 }));
    expect(sut.verdict).toBe('breach');
    expect(sut.summary).toContain('p99 7.01 ms > baseline 4 ms × 1.5 + 1 ms');
  });

  it('breaches on errors and on the absolute ceiling', () => {
    expect(evaluateCanaryWindow(policy.slo, stats({ errors: 11 }), null).verdict).toBe('breach');
    expect(evaluateCanaryWindow(policy.slo, stats({ p99Ms: 10.5 }), null).summary).toContain('p99 10.5 ms > 10 ms');
  });

  it('says insufficient below the minimum samples, even when the numbers look bad', () => {
    const sut = evaluateCanaryWindow(policy.slo, stats({ requests: 99, errors: 50 }), null);
    expect(sut.verdict).toBe('insufficient');
    expect(sut.summary).toBe('canary window: 99 of 100 samples needed');
  });

  it('ignores the relative rule when the baseline has too few samples', () => {
    const sut = evaluateCanaryWindow(policy.slo, stats({ p99Ms: 9 }), stats({ requests: 5, p99Ms: 1 }));
    expect(sut.verdict).toBe('pass');
  });
});

describe(evaluateShadowWindow.name, () => {
  const policy = resolveRolloutPolicy({ shadow: { minAgreement: 0.95, minSamples: 100 } });

  it('passes on high agreement and breaches on low agreement', () => {
    const good = stats({ shadowSamples: 500, agreement: 0.97 });
    expect(evaluateShadowWindow(policy.shadow, policy.slo, good, null).verdict).toBe('pass');
    const bad = stats({ shadowSamples: 500, agreement: 0.4 });
    const sut = evaluateShadowWindow(policy.shadow, policy.slo, bad, null);
    expect(sut.verdict).toBe('breach');
    expect(sut.summary).toContain('agreement 0.4 < 0.95');
  });

  it('waits for enough mirrored samples', () => {
    const few = stats({ shadowSamples: 20, agreement: 1 });
    expect(evaluateShadowWindow(policy.shadow, policy.slo, few, null).verdict).toBe('insufficient');
  });
});
