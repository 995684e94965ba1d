import betainc from '@stdlib/math-base-special-betainc';

/**
 * P(X ≥ k) for X ~ Binomial(n, p): the p-value of the exact one-sided binomial test that a rate
 * exceeds p (equivalently, Clopper–Pearson's lower bound exceeds p when it is below alpha). Exact
 * at every n, so one failure among a handful of requests is never mistaken for a high rate.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  // I_p(k, n − k + 1), the regularised incomplete beta function, is the binomial upper tail.
  return betainc(p, k, n - k + 1);
}
