import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { binomialUpperTail } from './binomial-test.js';
import {
  binQuantile,
  binsProblem,
  hodgesLehmannShift,
  mannWhitneyGreater,
  normalIsf,
  normalSf,
  type Bins,
} from './rank-test.js';

interface Reference {
  scipy: string;
  mannWhitney: {
    name: string;
    x: Bins;
    y: Bins;
    scipy: { u: number; pAuto: number; pAsymptotic: number; pExact?: number; hodgesLehmann: number | null };
  }[];
  binomial: { k: number; n: number; p: number; pValue: number }[];
}

// Written by libs/domain/test/reference/rank_test_reference.py from scipy (checked against the
// stack's scipy by libs/domain/test/integration/rank-test-reference.integration-spec.ts).
const reference = JSON.parse(
  readFileSync(new URL('../../test/reference/rank-test.scipy.json', import.meta.url), 'utf8'),
) as Reference;

/** Raw observations as bins (one bin per distinct value). */
function bins(values: number[]): Bins {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const valuesMs = [...counts.keys()].sort((a, b) => a - b);
  return { valuesMs, counts: valuesMs.map((v) => counts.get(v)!) };
}

const relClose = (actual: number, expected: number, rel = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));

describe(mannWhitneyGreater.name, () => {
  it('computes U with mid-ranks and the tie-corrected normal approximation, by hand', () => {
    // x = 1 2 2 3, y = 2 2 3 3 4. Pooled ranks: 1→1; 2 (×4)→3.5; 3 (×3)→7; 4→9.
    // R_x = 1 + 3.5 + 3.5 + 7 = 15, U_x = 15 − 4·5/2 = 5. μ = 10, tie term = (4³−4)+(3³−3) = 84,
    // σ² = 20/12 · (10 − 84/72) = 14.7222…, z = (5 − 10 − 0.5)/σ = −1.43343…, p = P(Z > z).
    const sut = mannWhitneyGreater(bins([1, 2, 2, 3]), bins([2, 2, 3, 3, 4]));
    expect(sut).toMatchObject({ u: 5, n1: 4, n2: 5, tieTerm: 84, method: 'asymptotic' });
    expect(sut.z).toBeCloseTo(-5.5 / Math.sqrt((20 / 12) * (10 - 84 / 72)), 12);
    expect(sut.pValue).toBeCloseTo(0.924132276611715, 12);
  });

  it('uses the exact null distribution for tiny samples without ties, by hand', () => {
    // Every candidate value above every baseline value: U = n1·n2 = 9, and exactly one of the
    // C(6, 3) = 20 arrangements is that extreme.
    const sut = mannWhitneyGreater(bins([10, 11, 12]), bins([1, 2, 3]));
    expect(sut).toMatchObject({ u: 9, method: 'exact', z: null });
    expect(sut.pValue).toBeCloseTo(1 / 20, 15);
    // U = 8 (one swap): two arrangements have U ≥ 8.
    expect(mannWhitneyGreater(bins([2.5, 11, 12]), bins([1, 2, 3])).pValue).toBeCloseTo(2 / 20, 15);
  });

  it('says p = 1 when every value is tied (σ = 0), and for identical distributions p is near ½', () => {
    const equal = mannWhitneyGreater({ valuesMs: [3], counts: [50] }, { valuesMs: [3], counts: [80] });
    expect(equal).toMatchObject({ u: 2000, pValue: 1 });
    const same = { valuesMs: [1, 2, 3, 4], counts: [10, 40, 40, 10] };
    const identical = mannWhitneyGreater(same, same);
    expect(identical.u).toBe(50 * 100);
    expect(identical.pValue).toBeGreaterThan(0.45);
    expect(identical.pValue).toBeLessThan(0.55);
  });

  it('ignores empty bins', () => {
    const x = { valuesMs: [1, 2, 3], counts: [4, 5, 6] };
    const y = { valuesMs: [1.5, 2, 2.5], counts: [7, 8, 9] };
    const padded = (b: Bins): Bins => ({
      valuesMs: [0, ...b.valuesMs.flatMap((v) => [v, v + 0.01])],
      counts: [0, ...b.counts.flatMap((c) => [c, 0])],
    });
    expect(mannWhitneyGreater(padded(x), padded(y))).toEqual(mannWhitneyGreater(x, y));
  });

  it.each(reference.mannWhitney.map((c) => [c.name, c] as const))('matches scipy %s', (_, c) => {
    const auto = mannWhitneyGreater(c.x, c.y);
    expect(auto.u).toBe(c.scipy.u);
    relClose(auto.pValue, c.scipy.pAuto);
    relClose(mannWhitneyGreater(c.x, c.y, 'asymptotic').pValue, c.scipy.pAsymptotic);
    if (c.scipy.pExact !== undefined) relClose(mannWhitneyGreater(c.x, c.y, 'exact').pValue, c.scipy.pExact);
  });
});

describe(hodgesLehmannShift.name, () => {
  it('is the median of pairwise differences, by hand', () => {
    // x − y over x = {5, 7}, y = {1, 2, 4}: 4 3 1 6 5 3 → sorted 1 3 3 4 5 6 → (3 + 4)/2.
    expect(hodgesLehmannShift(bins([5, 7]), bins([1, 2, 4]))).toBe(3.5);
    // Weighted: x = 10 (×3), y = {1 (×1), 9 (×2)}: differences 9 9 9 1 1 1 1 1 1 → 1.
    expect(hodgesLehmannShift({ valuesMs: [10], counts: [3] }, { valuesMs: [1, 9], counts: [1, 2] })).toBe(1);
  });

  it('is the shift itself for a shifted copy, and zero for identical samples', () => {
    const y = { valuesMs: [1, 2, 3, 5, 8], counts: [3, 9, 20, 6, 1] };
    expect(hodgesLehmannShift({ ...y, valuesMs: y.valuesMs.map((v) => v + 2.5) }, y)).toBeCloseTo(2.5, 9);
    expect(hodgesLehmannShift(y, y)).toBe(0);
  });

  it('resists outliers', () => {
    const y = bins([3, 3.1, 3.2, 3.3, 3.4, 3.5, 3.6, 3.7, 3.8, 3.9]);
    const x = bins([3, 3.1, 3.2, 3.3, 3.4, 3.5, 3.6, 3.7, 900, 2000]);
    expect(Math.abs(hodgesLehmannShift(x, y))).toBeLessThan(0.35);
  });

  it.each(reference.mannWhitney.filter((c) => c.scipy.hodgesLehmann !== null).map((c) => [c.name, c] as const))(
    'matches numpy %s',
    (_, c) => {
      expect(hodgesLehmannShift(c.x, c.y)).toBeCloseTo(c.scipy.hodgesLehmann!, 9);
    },
  );
});

describe(binomialUpperTail.name, () => {
  it('is P(X ≥ k), by hand', () => {
    expect(binomialUpperTail(0, 10, 0.01)).toBe(1);
    expect(binomialUpperTail(1, 1, 0.01)).toBeCloseTo(0.01, 15);
    expect(binomialUpperTail(1, 10, 0.01)).toBeCloseTo(1 - 0.99 ** 10, 14);
    expect(binomialUpperTail(11, 10, 0.5)).toBe(0);
    expect(binomialUpperTail(1, 10, 0)).toBe(0);
  });

  it.each(reference.binomial.map((c) => [`${c.k} of ${c.n} at ${c.p}`, c] as const))('matches scipy %s', (_, c) => {
    relClose(binomialUpperTail(c.k, c.n, c.p), c.pValue, 1e-9);
  });
});

describe('bins', () => {
  it('finds nearest-rank quantiles and refuses malformed distributions', () => {
    const b = { valuesMs: [1, 2, 10], counts: [50, 49, 1] };
    expect(binQuantile(b, 0.5)).toBe(1);
    expect(binQuantile(b, 0.99)).toBe(2);
    expect(binQuantile(b, 1)).toBe(10);
    expect(binQuantile({ valuesMs: [], counts: [] }, 0.5)).toBeNull();
    expect(binsProblem(b)).toBeNull();
    expect(binsProblem({ valuesMs: [1, 2], counts: [1] })).toBe('2 values but 1 counts');
    expect(binsProblem({ valuesMs: [2, 1], counts: [1, 1] })).toBe('values are not strictly ascending at 1');
    expect(binsProblem({ valuesMs: [1, 2], counts: [1, 0.5] })).toBe('count 1 is not a non-negative integer');
    expect(binsProblem({ valuesMs: [1, NaN], counts: [1, 1] })).toBe('value 1 is not a finite number');
  });

  it('has normal tails that invert each other', () => {
    expect(normalSf(0)).toBe(0.5);
    expect(normalSf(1.959963984540054)).toBeCloseTo(0.025, 15);
    expect(normalIsf(0.01)).toBeCloseTo(2.3263478740408408, 12);
  });
});
