import { type ShadowPolicy, type SloPolicy } from '../policy/rollout-policy.js';

/**
 * Latencies of a variant's successful requests over a window, binned: `counts[i]` requests took about
 * `valuesMs[i]` milliseconds. Bins are ascending and bounded in number, so a window of any traffic is a
 * small payload, and rank statistics (Mann–Whitney U) are exact on the bins, ties included.
 */
export interface LatencyDistribution {
  /** Representative latency of each bin, in milliseconds, strictly ascending. */
  valuesMs: number[];
  /** Requests in each bin (same length as `valuesMs`). */
  counts: number[];
}

/** Where a window's numbers come from: Fledge's own runtime, or CloudWatch metrics (SageMaker). */
export type WindowSource = 'local' | 'cloudwatch';

/** Live statistics of one variant over a window, as every hosting backend reports them. */
export interface VariantWindowStats {
  variant: string;
  /** Requests answered in the window: successes, client errors and server errors. */
  requests: number;
  /** Server-side faults only (5xx, timeouts, model failures): the error budget. */
  errors: number;
  /** Client errors (4xx): shown per variant, never part of the error budget unless a policy opts in. */
  clientErrors?: number;
  /** Latency distribution of successful requests; absent where the backend cannot provide one. */
  latency?: LatencyDistribution;
  source?: WindowSource;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Shadow variants only: mirrored requests compared with the primary, and the agreeing fraction. */
  shadowSamples?: number;
  agreement?: number | null;
  shadowDrops?: number;
}

export type SloVerdict = 'pass' | 'breach' | 'insufficient';

export interface SloCheck {
  check: string;
  passed: boolean;
  actual: number | null;
  threshold: number;
  detail: string;
}

export interface SloEvaluation {
  verdict: SloVerdict;
  checks: SloCheck[];
  summary: string;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function verdictOf(checks: SloCheck[], enough: boolean, what: string, samples: number, needed: number): SloEvaluation {
  if (!enough) {
    return { verdict: 'insufficient', checks, summary: `${what}: ${samples} of ${needed} samples needed` };
  }
  const failed = checks.filter((c) => !c.passed);
  return failed.length
    ? { verdict: 'breach', checks, summary: `${what} breached: ${failed.map((c) => c.detail).join('; ')}` }
    : { verdict: 'pass', checks, summary: `${what} within SLO (${checks.map((c) => c.detail).join('; ')})` };
}

/**
 * Checks a serving candidate's window against the SLOs. Latency may be bounded absolutely and
 * relative to the baseline's window; the relative rule is skipped when the baseline itself has
 * too few samples to say anything.
 */
export function evaluateCanaryWindow(
  slo: SloPolicy,
  candidate: VariantWindowStats,
  baseline: VariantWindowStats | null,
): SloEvaluation {
  const checks: SloCheck[] = [];
  const errorRate = candidate.requests > 0 ? candidate.errors / candidate.requests : 0;
  checks.push({
    check: 'errorRate',
    passed: errorRate <= slo.maxErrorRate,
    actual: errorRate,
    threshold: slo.maxErrorRate,
    detail: `error rate ${round(errorRate)} ${errorRate <= slo.maxErrorRate ? '≤' : '>'} ${slo.maxErrorRate}`,
  });
  if (slo.maxP99LatencyMs !== null) {
    const ok = candidate.p99Ms <= slo.maxP99LatencyMs;
    checks.push({
      check: 'p99LatencyMs',
      passed: ok,
      actual: candidate.p99Ms,
      threshold: slo.maxP99LatencyMs,
      detail: `p99 ${round(candidate.p99Ms)} ms ${ok ? '≤' : '>'} ${slo.maxP99LatencyMs} ms`,
    });
  }
  if (slo.maxP99LatencyRatio !== null && baseline !== null && baseline.requests >= slo.minSamples) {
    const ceiling = baseline.p99Ms * slo.maxP99LatencyRatio + slo.p99LatencySlackMs;
    const ok = candidate.p99Ms <= ceiling;
    checks.push({
      check: 'p99LatencyRelative',
      passed: ok,
      actual: candidate.p99Ms,
      threshold: ceiling,
      detail: `p99 ${round(candidate.p99Ms)} ms ${ok ? '≤' : '>'} baseline ${round(baseline.p99Ms)} ms × ${slo.maxP99LatencyRatio} + ${slo.p99LatencySlackMs} ms`,
    });
  }
  return verdictOf(checks, candidate.requests >= slo.minSamples, 'canary window', candidate.requests, slo.minSamples);
}

/** Checks a shadow variant: prediction agreement with the primary, plus its own latency and errors. */
export function evaluateShadowWindow(
  shadow: ShadowPolicy,
  slo: SloPolicy,
  candidate: VariantWindowStats,
  baseline: VariantWindowStats | null,
): SloEvaluation {
  const samples = candidate.shadowSamples ?? candidate.requests;
  const agreement = candidate.agreement ?? null;
  const checks: SloCheck[] = [];
  checks.push({
    check: 'agreement',
    passed: agreement !== null && agreement >= shadow.minAgreement,
    actual: agreement,
    threshold: shadow.minAgreement,
    detail:
      agreement === null
        ? 'no agreement measured'
        : `agreement ${round(agreement)} ${agreement >= shadow.minAgreement ? '≥' : '<'} ${shadow.minAgreement}`,
  });
  checks.push(...evaluateCanaryWindow(slo, candidate, baseline).checks);
  return verdictOf(checks, samples >= shadow.minSamples, 'shadow window', samples, shadow.minSamples);
}
