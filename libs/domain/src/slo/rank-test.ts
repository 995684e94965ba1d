import erfc from '@stdlib/math-base-special-erfc';
import erfcinv from '@stdlib/math-base-special-erfcinv';

// Rank statistics on binned samples. No library computes Mann–Whitney U, its tie correction or the
// Hodges–Lehmann shift from (value, count) bins: they all take one number per observation, which
// would mean expanding a window of 100k requests into 100k numbers inside the workflow. On bins
// the same statistics cost O(bins) (U) and O(bins · log range) (the shift), exactly, ties included.
// The normal tail functions come from @stdlib (scipy-grade precision).

/** Values (strictly ascending) with how many observations each holds; counts are non-negative integers. */
export interface Bins {
  valuesMs: readonly number[];
  counts: readonly number[];
}

/** P(Z > z) for a standard normal Z. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** The z with P(Z > z) = p, for 0 < p < 1. */
export function normalIsf(p: number): number {
  return Math.SQRT2 * erfcinv(2 * p);
}

export function binTotal(bins: Bins): number {
  let n = 0;
  for (const c of bins.counts) n += c;
  return n;
}

/**
 * A problem with a distribution as a backend reported it, or null when it is usable: lengths
 * match, values are finite and strictly ascending, counts are non-negative integers.
 */
export function binsProblem(bins: Bins): string | null {
  const { valuesMs, counts } = bins;
  if (!Array.isArray(valuesMs) || !Array.isArray(counts)) return 'values and counts must be lists';
  if (valuesMs.length !== counts.length) return `${valuesMs.length} values but ${counts.length} counts`;
  for (let i = 0; i < valuesMs.length; i++) {
    if (typeof valuesMs[i] !== 'number' || !Number.isFinite(valuesMs[i])) return `value ${i} is not a finite number`;
    if (i > 0 && !(valuesMs[i] > valuesMs[i - 1])) return `values are not strictly ascending at ${i}`;
    if (!Number.isInteger(counts[i]) || counts[i] < 0) return `count ${i} is not a non-negative integer`;
  }
  return null;
}

/** Nearest-rank quantile (0 < q ≤ 1) of a binned sample; null when it is empty. */
export function binQuantile(bins: Bins, q: number): number | null {
  const n = binTotal(bins);
  if (n === 0) return null;
  const rank = Math.min(n, Math.max(1, Math.ceil(q * n)));
  let seen = 0;
  for (let i = 0; i < bins.counts.length; i++) {
    seen += bins.counts[i];
    if (seen >= rank) return bins.valuesMs[i];
  }
  return bins.valuesMs[bins.valuesMs.length - 1];
}

export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, ties counting one half. */
  u: number;
  n1: number;
  n2: number;
  /** Σ (t³ − t) over groups of tied values, both samples pooled. */
  tieTerm: number;
  /** The standardised U (continuity and tie corrections applied); null for the exact method. */
  z: number | null;
  /** One-sided: the probability, under no difference, of a U at least this large. */
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/**
 * One-sided Mann–Whitney U test that the first sample is stochastically greater than the second
 * (scipy's `mannwhitneyu(x, y, alternative='greater')`). Ranks are mid-ranks; the normal
 * approximation uses the tie correction and a continuity correction of ½. `auto` follows scipy:
 * the exact null distribution when there are no ties and one sample has at most 8 observations
 * (here also only while the distribution's counts stay exact in doubles), otherwise asymptotic.
 * Both samples must be non-empty.
 */
export function mannWhitneyGreater(
  x: Bins,
  y: Bins,
  method: 'auto' | 'exact' | 'asymptotic' = 'auto',
): MannWhitneyResult {
  const n1 = binTotal(x);
  const n2 = binTotal(y);
  let u = 0;
  let tieTerm = 0;
  let ties = false;
  let yBelow = 0;
  let i = 0;
  let j = 0;
  // One merge pass over both ascending value lists: each distinct value is one group of ties.
  while (i < x.valuesMs.length || j < y.valuesMs.length) {
    const vx = i < x.valuesMs.length ? x.valuesMs[i] : Infinity;
    const vy = j < y.valuesMs.length ? y.valuesMs[j] : Infinity;
    const v = Math.min(vx, vy);
    const cx = vx === v ? x.counts[i++] : 0;
    const cy = vy === v ? y.counts[j++] : 0;
    const t = cx + cy;
    if (t > 1) {
      tieTerm += t * t * t - t;
      if (cx > 1 || cy > 1 || (cx > 0 && cy > 0)) ties = true;
    }
    u += cx * (yBelow + cy / 2);
    yBelow += cy;
  }
  const useExact =
    method === 'exact' || (method === 'auto' && !ties && Math.min(n1, n2) <= 8 && exactIsRepresentable(n1, n2));
  if (useExact) {
    return { u, n1, n2, tieTerm, z: null, pValue: exactUpperTail(Math.ceil(u), n1, n2), method: 'exact' };
  }
  const n = n1 + n2;
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  // With every value tied σ is 0: z = −∞ and p = 1, as scipy says.
  const z = (u - mu - 0.5) / sigma;
  return { u, n1, n2, tieTerm, z, pValue: Math.min(1, normalSf(z)), method: 'asymptotic' };
}

// The exact counts are C(n1+n2, n1) at most; below 2^53 every step of the product below is an
// exact integer in a double, so the tail needs no big numbers.
function exactIsRepresentable(n1: number, n2: number): boolean {
  const k = Math.min(n1, n2);
  const n = n1 + n2;
  let c = 1;
  for (let i = 1; i <= k; i++) {
    c = (c * (n - k + i)) / i;
    if (c > Number.MAX_SAFE_INTEGER) return false;
  }
  return true;
}

/**
 * P(U ≥ u) under the null for samples of n1 and n2 without ties. The number of arrangements with
 * U = k is the coefficient of q^k in the Gaussian binomial [n1+n2 choose m]_q (m = min(n1, n2)),
 * built as Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i).
 */
function exactUpperTail(u: number, n1: number, n2: number): number {
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  const degree = m * n;
  if (u <= 0) return 1;
  if (u > degree) return 0;
  const poly = new Float64Array(degree + 1);
  poly[0] = 1;
  let top = 0;
  for (let i = 1; i <= m; i++) {
    // × (1 − q^{n+i}): subtract a shifted copy, highest powers first.
    const shift = n + i;
    top += shift;
    for (let k = top; k >= shift; k--) poly[k] -= poly[k - shift];
    // ÷ (1 − q^i): a running sum with stride i; the quotient has degree i·n, above it nothing.
    for (let k = i; k <= top - i; k++) poly[k] += poly[k - i];
    poly.fill(0, top - i + 1, top + 1);
    top -= i;
  }
  let tail = 0;
  let total = 0;
  for (let k = 0; k <= degree; k++) {
    total += poly[k];
    if (k >= u) tail += poly[k];
  }
  return tail / total;
}

/**
 * Hodges–Lehmann estimate of the shift of x over y: the median of all pairwise differences
 * x − y, each pair weighted by its two counts (the average of the two middle ones for an even
 * number of pairs). Found by bisection on the difference with a pair count per step, to within
 * 1e-9 of its magnitude (far below any latency bin), then snapped to an actual difference.
 * Both samples must be non-empty.
 */
export function hodgesLehmannShift(x: Bins, y: Bins): number {
  const pairs = binTotal(x) * binTotal(y);
  const lower = kthDifference(x, y, Math.floor((pairs + 1) / 2));
  const upper = pairs % 2 === 0 ? kthDifference(x, y, pairs / 2 + 1) : lower;
  return (lower + upper) / 2;
}

/** Weighted number of pairs with x − y ≤ d, and the largest such difference. */
function pairsAtMost(x: Bins, y: Bins, d: number): { count: number; largest: number } {
  let i = 0;
  let lastX = -1;
  let below = 0;
  let count = 0;
  let largest = -Infinity;
  // As y grows, more x satisfy x − y ≤ d: one pass with two pointers.
  for (let j = 0; j < y.valuesMs.length; j++) {
    for (; i < x.valuesMs.length && x.valuesMs[i] - y.valuesMs[j] <= d; i++) {
      below += x.counts[i];
      if (x.counts[i] > 0) lastX = i;
    }
    if (y.counts[j] === 0 || below === 0) continue;
    count += below * y.counts[j];
    largest = Math.max(largest, x.valuesMs[lastX] - y.valuesMs[j]);
  }
  return { count, largest };
}

function kthDifference(x: Bins, y: Bins, k: number): number {
  const first = (b: Bins) => b.valuesMs[b.counts.findIndex((c) => c > 0)];
  const last = (b: Bins) => b.valuesMs[b.counts.findLastIndex((c) => c > 0)];
  let lo = first(x) - last(y);
  let hi = last(x) - first(y);
  if (pairsAtMost(x, y, lo).count >= k) return lo;
  // Invariant: fewer than k pairs at or below lo, at least k at or below hi.
  while (hi - lo > 1e-9 * Math.max(1, Math.abs(hi))) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (pairsAtMost(x, y, mid).count >= k) hi = mid;
    else lo = mid;
  }
  return pairsAtMost(x, y, hi).largest;
}
