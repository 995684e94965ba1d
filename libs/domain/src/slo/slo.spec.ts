import { describe, expect, it } from '@jest/globals';

import { resolveRolloutPolicy } from '../policy/rollout-policy.js';
import {
  evaluateCanaryWindow,
  evaluateShadowWindow,
  nextFailureStreak,
  noFailureStreak,
  shouldRollBack,
  type LatencyDistribution,
  type VariantWindowStats,
} from './slo.js';

/** A latency histogram around 3 ms (0.1 ms bins), `n` requests, shifted by `shiftMs`. */
function histogram(n: number, shiftMs = 0): LatencyDistribution {
  const shape = [1, 3, 8, 15, 22, 20, 14, 9, 5, 2, 1];
  const total = shape.reduce((a, b) => a + b, 0);
  const counts = shape.map((s) => Math.floor((s * n) / total));
  counts[5] += n - counts.reduce((a, b) => a + b, 0);
  return { valuesMs: shape.map((_, i) => Math.round((2.5 + i * 0.1 + shiftMs) * 10) / 10), counts };
}

function stats(variant: string, n: number, over: Partial<VariantWindowStats> = {}): VariantWindowStats {
  const latency = over.latency === undefined ? histogram(n) : over.latency;
  const requests = n + (over.errors ?? 0) + (over.clientErrors ?? 0);
  return {
    variant,
    requests,
    errors: 0,
    clientErrors: 0,
    source: 'local',
    p50Ms: 3,
    p95Ms: 3.3,
    p99Ms: 3.5,
    maxMs: 3.5,
    ...over,
    ...(latency ? { latency } : {}),
  };
}

const policy = resolveRolloutPolicy({ slo: { minSamples: 50, windowSeconds: 60 } });
const slo = policy.slo;

describe(evaluateCanaryWindow.name, () => {
  it('passes an identical candidate on the same window, with every number it used', () => {
    const sut = evaluateCanaryWindow(slo, stats('m-v2', 300), stats('m-v1', 900));

    expect(sut).toMatchObject({ verdict: 'pass', hard: false, comparison: 'relative', note: null });
    expect(sut.candidate).toMatchObject({ variant: 'm-v2', requests: 300, successes: 300, medianMs: 3 });
    expect(sut.baseline).toMatchObject({ variant: 'm-v1', requests: 900, medianMs: 3 });
    expect(sut.latency).toMatchObject({
      method: 'mann-whitney',
      source: 'local',
      u: 300 * 900 * 0.5,
      shiftMs: 0,
      alpha: 0.01,
      minShiftMs: 1,
      note: null,
    });
    expect(sut.latency!.pValue).toBeGreaterThan(0.4);
    expect(sut.checks.map((c) => [c.check, c.status])).toEqual([
      ['errorRate', 'pass'],
      ['latencyShift', 'pass'],
    ]);
  });

  it('fails a candidate that is both significantly and materially slower, as a persistent (not hard) failure', () => {
    const sut = evaluateCanaryWindow(slo, stats('m-v2', 200, { latency: histogram(200, 1.5) }), stats('m-v1', 600));

    expect(sut).toMatchObject({ verdict: 'fail', hard: false });
    expect(sut.latency!.shiftMs).toBeCloseTo(1.5, 6);
    expect(sut.latency!.pValue).toBeLessThan(1e-10);
    expect(sut.latency!.shiftRatio).toBeCloseTo(0.5, 6);
    expect(sut.summary).toMatch(/candidate slower: latency shift \+1\.5 ms over median 3 ms ≥ 1 ms/);
  });

  it('passes a difference that is real but smaller than the minimum effect', () => {
    // 0.3 ms slower on 5000 requests each: p is tiny, but 0.3 ms < max(1 ms, 20% of 3 ms).
    const sut = evaluateCanaryWindow(slo, stats('m-v2', 5000, { latency: histogram(5000, 0.3) }), stats('m-v1', 5000));

    expect(sut.verdict).toBe('pass');
    expect(sut.latency!.pValue).toBeLessThan(0.01);
    expect(sut.checks.find((c) => c.check === 'latencyShift')?.detail).toMatch(/< 1 ms minimum effect/);
    const strict = { ...slo, minLatencyShiftMs: 0.2, minLatencyShiftRatio: 0 };
    const failing = evaluateCanaryWindow(
      strict,
      stats('m-v2', 5000, { latency: histogram(5000, 0.3) }),
      stats('m-v1', 5000),
    );
    expect(failing.verdict).toBe('fail');
  });

  it('does not call a faster candidate slower', () => {
    const sut = evaluateCanaryWindow(slo, stats('m-v2', 500, { latency: histogram(500, -1) }), stats('m-v1', 500));
    expect(sut.verdict).toBe('pass');
    expect(sut.latency!.pValue).toBeGreaterThan(0.99);
  });

  it('is not moved by a few outliers', () => {
    const spiky = histogram(400);
    spiky.valuesMs.push(250, 900, 2000);
    spiky.counts.push(1, 1, 1);
    const sut = evaluateCanaryWindow(slo, stats('m-v2', 403, { latency: spiky, p99Ms: 900 }), stats('m-v1', 400));
    expect(sut.verdict).toBe('pass');
  });

  it('tolerates one server error in 50 requests, and fails 5% of 200 at once (hard)', () => {
    const oneIn50 = evaluateCanaryWindow(slo, stats('m-v2', 49, { errors: 1 }), stats('m-v1', 500));
    expect(oneIn50.verdict).toBe('pass');
    // p = P(X ≥ 1 | n = 50, rate 1%) = 1 − 0.99^50 = 0.395.
    expect(oneIn50.checks[0].detail).toBe('server errors 1/50 (2%) within 1% (p = 0.395)');

    const faulty = evaluateCanaryWindow(slo, stats('m-v2', 190, { errors: 10 }), stats('m-v1', 500));
    expect(faulty).toMatchObject({ verdict: 'fail', hard: true });
    expect(faulty.summary).toMatch(/server errors 10\/200 \(5%\) > 1% \(p = /);
  });

  it('fails a faulty candidate even before it has minSamples requests', () => {
    const sut = evaluateCanaryWindow(slo, stats('m-v2', 15, { errors: 5 }), stats('m-v1', 500));
    expect(sut).toMatchObject({ verdict: 'fail', hard: true });
  });

  it('never counts client errors unless the policy opts in, but shows them', () => {
    const hostile = stats('m-v2', 180, { clientErrors: 20 });
    const sut = evaluateCanaryWindow(slo, hostile, stats('m-v1', 500));
    expect(sut.verdict).toBe('pass');
    expect(sut.candidate).toMatchObject({
      requests: 200,
      judgedRequests: 180,
      clientErrors: 20,
      serverErrors: 0,
      errorRate: 0,
    });
    expect(sut.checks[0].detail).toBe('server errors 0/180 (0%) within 1%; 20 client errors not counted');

    const optedIn = evaluateCanaryWindow({ ...slo, countClientErrors: true }, hostile, stats('m-v1', 500));
    expect(optedIn).toMatchObject({ verdict: 'fail', hard: true });
    expect(optedIn.summary).toMatch(/errors \(server and client\) 20\/200/);
  });

  it('applies the absolute p99 ceiling as a hard rule', () => {
    const ceiling = { ...slo, maxP99LatencyMs: 10 };
    const sut = evaluateCanaryWindow(ceiling, stats('m-v2', 200, { p99Ms: 12 }), stats('m-v1', 500));
    expect(sut).toMatchObject({ verdict: 'fail', hard: true });
    expect(sut.summary).toBe('canary window failed: p99 12 ms > 10 ms');
    expect(evaluateCanaryWindow(ceiling, stats('m-v2', 200, { p99Ms: 9.9 }), null).verdict).toBe('pass');
  });

  it('does not take refused requests as samples', () => {
    // 60 requests, but 55 of them refused before they reached the model.
    const sut = evaluateCanaryWindow(slo, stats('m-v2', 5, { clientErrors: 55 }), stats('m-v1', 500));
    expect(sut.verdict).toBe('inconclusive');
    expect(sut.summary).toBe('canary window: 5 of 50 samples needed');
  });

  it('is inconclusive below minSamples, even when latency looks bad', () => {
    const sut = evaluateCanaryWindow(slo, stats('m-v2', 40, { latency: histogram(40, 5) }), stats('m-v1', 500));
    expect(sut.verdict).toBe('inconclusive');
    expect(sut.summary).toBe('canary window: 40 of 50 samples needed');
  });

  it('is inconclusive when the samples are too few for the test to ever reach alpha', () => {
    const tiny = { ...slo, minSamples: 2 };
    const sut = evaluateCanaryWindow(tiny, stats('m-v2', 3, { latency: histogram(3, 5) }), stats('m-v1', 3));
    expect(sut.verdict).toBe('inconclusive');
    expect(sut.summary).toMatch(/3 vs 3 requests cannot reach p < 0\.01/);
  });

  it('judges against absolute limits only when the baseline is idle, and says so', () => {
    const idle = stats('m-v1', 0, { requests: 0, latency: { valuesMs: [], counts: [] } });
    const sut = evaluateCanaryWindow(slo, stats('m-v2', 400, { latency: histogram(400, 5) }), idle);
    expect(sut).toMatchObject({ verdict: 'pass', comparison: 'absolute-only', latency: null });
    expect(sut.note).toBe(
      'baseline m-v1 served 0 successful requests in the window (fewer than 50): absolute limits only',
    );
    expect(sut.summary).toMatch(/\[baseline m-v1 served 0 successful requests .*absolute limits only\]$/);
    expect(evaluateCanaryWindow(slo, stats('m-v2', 400), null).note).toBe('no baseline: absolute limits only');
  });

  it('falls back to the median and p99 rules where the backend gives percentiles only, and says so', () => {
    const cw = (variant: string, p50Ms: number, p99Ms: number): VariantWindowStats =>
      stats(variant, 500, { latency: null as unknown as undefined, source: 'cloudwatch', p50Ms, p99Ms });
    const ratio = { ...slo, maxP99LatencyRatio: 1.5 };
    const tail = evaluateCanaryWindow(ratio, cw('m-v2', 3, 9), cw('m-v1', 3, 4));
    expect(tail).toMatchObject({ verdict: 'fail', hard: false });
    expect(tail.latency).toMatchObject({
      method: 'percentile',
      source: 'cloudwatch',
      note: 'CloudWatch reports percentiles only: Mann–Whitney test not available, median and p99 rules used',
      pValue: null,
      u: null,
      shiftMs: 0,
      minShiftMs: 1,
    });
    expect(tail.summary).toBe('canary window failed: p99 9 ms > baseline 4 ms × 1.5 + 1 ms');
    // The median must shift by the same minimum effect: max(1 ms, 20% of 3 ms).
    const median = evaluateCanaryWindow(ratio, cw('m-v2', 4.5, 6), cw('m-v1', 3, 4));
    expect(median.verdict).toBe('fail');
    expect(median.summary).toBe(
      'canary window failed: candidate slower: median 4.5 ms, +1.5 ms over baseline 3 ms ≥ 1 ms',
    );
    expect(evaluateCanaryWindow(ratio, cw('m-v2', 3.9, 6.9), cw('m-v1', 3, 4)).verdict).toBe('pass');
    // The p99 rule is off by default: the median rule stands alone.
    const byDefault = evaluateCanaryWindow(slo, cw('m-v2', 3, 90), cw('m-v1', 3, 4));
    expect(byDefault.verdict).toBe('pass');
    expect(byDefault.checks.map((c) => c.check)).toEqual(['errorRate', 'latencyShift']);

    const local = evaluateCanaryWindow(
      slo,
      stats('m-v2', 500, { latency: null as unknown as undefined }),
      stats('m-v1', 500, { latency: null as unknown as undefined }),
    );
    expect(local.latency?.note).toBe(
      'no latency distribution reported: Mann–Whitney test not available, median and p99 rules used',
    );
  });

  it('names a malformed distribution instead of judging on it', () => {
    const bad = stats('m-v2', 500, { latency: { valuesMs: [2, 1], counts: [250, 250] } });
    const sut = evaluateCanaryWindow(slo, bad, stats('m-v1', 500));
    expect(sut.latency?.note).toBe(
      'latency distribution of m-v2 unusable (values are not strictly ascending at 1): Mann–Whitney test not available, median and p99 rules used',
    );
  });

  it('passes an empty window only when the policy asks for no samples', () => {
    const none = { ...slo, minSamples: 0 };
    const empty = stats('m-v2', 0, { requests: 0, latency: { valuesMs: [], counts: [] } });
    expect(evaluateCanaryWindow(none, empty, empty).verdict).toBe('pass');
    expect(evaluateCanaryWindow(slo, empty, empty).verdict).toBe('inconclusive');
  });
});

describe(evaluateShadowWindow.name, () => {
  const shadowPolicy = resolveRolloutPolicy({ shadow: { minAgreement: 0.95, minSamples: 100 } });
  const { shadow } = shadowPolicy;

  it('passes on high agreement and fails at once on agreement shown to be low', () => {
    const good = stats('m-v2', 500, { shadowSamples: 500, agreement: 0.97 });
    expect(evaluateShadowWindow(shadow, slo, good, stats('m-v1', 500)).verdict).toBe('pass');
    const bad = stats('m-v2', 500, { shadowSamples: 500, agreement: 0.4 });
    const sut = evaluateShadowWindow(shadow, slo, bad, stats('m-v1', 500));
    expect(sut).toMatchObject({ verdict: 'fail', hard: true });
    expect(sut.summary).toMatch(/agreement 0\.4 < 0\.95 on 500 samples/);
  });

  it('does not fail agreement a hair under the threshold on few samples', () => {
    const close = stats('m-v2', 120, { shadowSamples: 120, agreement: 0.94 });
    const sut = evaluateShadowWindow(shadow, slo, close, stats('m-v1', 500));
    expect(sut.verdict).toBe('pass');
    expect(sut.checks[0].detail).toMatch(/agreement 0\.94 not shown below 0\.95 on 120 samples/);
  });

  it('fails when no agreement was measured, and waits for enough mirrored samples', () => {
    const unmeasured = stats('m-v2', 500, { shadowSamples: 500, agreement: null });
    expect(evaluateShadowWindow(shadow, slo, unmeasured, null).summary).toMatch(/no agreement measured/);
    const few = stats('m-v2', 20, { shadowSamples: 20, agreement: 1 });
    expect(evaluateShadowWindow(shadow, slo, few, null).verdict).toBe('inconclusive');
  });
});

describe(nextFailureStreak.name, () => {
  const window = 30;
  const run = (verdicts: ('pass' | 'fail' | 'inconclusive')[], everyMs = 10_000) => {
    let streak = noFailureStreak;
    return verdicts.map(
      (verdict, i) => (streak = nextFailureStreak(streak, { verdict }, (i + 1) * everyMs, window)).count,
    );
  };

  it('counts failing windows in a row that share no traffic; a pass resets, an inconclusive window leaves it', () => {
    // Windows of 30 s every 10 s: a failing window counts once the last counted one is 30 s old.
    expect(run(['fail', 'fail', 'fail', 'fail', 'fail', 'fail', 'fail'])).toEqual([1, 1, 1, 2, 2, 2, 3]);
    expect(run(['fail', 'inconclusive', 'inconclusive', 'fail', 'pass', 'fail'])).toEqual([1, 1, 1, 2, 0, 1]);
    // Windows that never overlap all count.
    expect(run(['fail', 'fail', 'fail'], 30_000)).toEqual([1, 2, 3]);
  });

  it('rolls back on a hard failure at once, otherwise at failureThreshold', () => {
    const streak = (count: number) => ({ count, countedAtMs: 0 });
    expect(shouldRollBack({ failureThreshold: 2 }, { verdict: 'fail', hard: true }, streak(1))).toBe(true);
    expect(shouldRollBack({ failureThreshold: 2 }, { verdict: 'fail', hard: false }, streak(1))).toBe(false);
    expect(shouldRollBack({ failureThreshold: 2 }, { verdict: 'fail', hard: false }, streak(2))).toBe(true);
    expect(shouldRollBack({ failureThreshold: 2 }, { verdict: 'inconclusive', hard: false }, streak(5))).toBe(false);
  });
});
