import { type ShadowPolicy, type SloPolicy } from '../policy/rollout-policy.js';
import { binomialUpperTail } from './binomial-test.js';
import {
  binQuantile,
  binsProblem,
  binTotal,
  hodgesLehmannShift,
  mannWhitneyGreater,
  normalSf,
  type Bins,
} from './rank-test.js';

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

/**
 * `pass`: every rule holds on enough samples. `fail`: a rule is broken (see `hard`).
 * `inconclusive`: too few samples to say; recorded, and the bake waits — never a pass.
 */
export type SloVerdict = 'pass' | 'fail' | 'inconclusive';

export type SloCheckStatus = SloVerdict | 'skipped';

export interface SloCheck {
  check: 'errorRate' | 'p99LatencyMs' | 'latencyShift' | 'p99LatencyRelative' | 'agreement';
  status: SloCheckStatus;
  /** False only when the check failed. */
  passed: boolean;
  /** A hard check's failure rolls back at once; the others need `failureThreshold` failing windows in a row. */
  hard: boolean;
  actual: number | null;
  threshold: number | null;
  /** The statistical rules' p-value (null for plain comparisons). */
  pValue: number | null;
  detail: string;
}

/** The numbers of one variant that a verdict used. */
export interface VariantJudged {
  variant: string;
  requests: number;
  /**
   * Requests that are evidence about the model: all but the client errors the policy does not
   * count (a refused request never reached the model). Samples and the error rate are over these.
   */
  judgedRequests: number;
  /** Requests with an answer that was not an error. */
  successes: number;
  serverErrors: number;
  clientErrors: number;
  /** Errors counted toward the budget (server errors, plus client errors when the policy says so) per request. */
  errorRate: number;
  /** From the latency distribution where there is one, else the backend's p50. */
  medianMs: number | null;
}

/** The latency comparison with the baseline and everything it was decided on. */
export interface LatencyComparison {
  /**
   * `mann-whitney` on the two latency distributions; `percentile` where the backend gives no
   * distribution: the median shift (same minimum effect, no significance test) and the p99 rule.
   */
  method: 'mann-whitney' | 'percentile';
  source: WindowSource;
  /** Why the rank test was not used, where it was not. */
  note: string | null;
  u: number | null;
  z: number | null;
  pValue: number | null;
  exact: boolean | null;
  /**
   * Shift of the candidate's latencies over the baseline's (ms), and per baseline median:
   * Hodges–Lehmann for `mann-whitney`, the difference of medians for `percentile`.
   */
  shiftMs: number | null;
  shiftRatio: number | null;
  alpha: number;
  /** The minimum effect in force: max(minLatencyShiftMs, minLatencyShiftRatio × baseline median). */
  minShiftMs: number | null;
}

export interface SloEvaluation {
  verdict: SloVerdict;
  /** A hard rule failed: roll back now, whatever the failure streak. */
  hard: boolean;
  /**
   * `relative`: candidate and baseline compared on the same window. `absolute-only`: the baseline
   * served too little in the window (idle at 0% while promoting, or low traffic), so only the
   * absolute limits applied — `note` says why.
   */
  comparison: 'relative' | 'absolute-only';
  note: string | null;
  checks: SloCheck[];
  summary: string;
  candidate: VariantJudged;
  baseline: VariantJudged | null;
  latency: LatencyComparison | null;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (x: number) => `${round(x * 100, 2)}%`;
const fmtP = (p: number) => (p < 0.0001 ? p.toExponential(1) : String(round(p, 4)));

function check(fields: Omit<SloCheck, 'passed' | 'pValue' | 'actual' | 'threshold'> & Partial<SloCheck>): SloCheck {
  return { actual: null, threshold: null, pValue: null, ...fields, passed: fields.status !== 'fail' };
}

function usableLatency(stats: VariantWindowStats): Bins | null {
  const d = stats.latency;
  if (!d || binsProblem(d) !== null || binTotal(d) === 0) return null;
  return d;
}

/** Errors counted toward the budget, over the requests that count: see `VariantJudged.judgedRequests`. */
function counted(stats: VariantWindowStats, slo: SloPolicy): { errors: number; requests: number } {
  const clientErrors = stats.clientErrors ?? 0;
  return slo.countClientErrors
    ? { errors: stats.errors + clientErrors, requests: stats.requests }
    : { errors: stats.errors, requests: Math.max(0, stats.requests - clientErrors) };
}

function judged(stats: VariantWindowStats, slo: SloPolicy): VariantJudged {
  const clientErrors = stats.clientErrors ?? 0;
  const { errors, requests } = counted(stats, slo);
  const bins = usableLatency(stats);
  return {
    variant: stats.variant,
    requests: stats.requests,
    judgedRequests: requests,
    successes: Math.max(0, stats.requests - stats.errors - clientErrors),
    serverErrors: stats.errors,
    clientErrors,
    errorRate: requests > 0 ? errors / requests : 0,
    medianMs: bins ? binQuantile(bins, 0.5) : stats.requests > 0 ? stats.p50Ms : null,
  };
}

/**
 * Hard rule: the error budget. Fails when an exact binomial test shows the counted error rate above
 * `maxErrorRate` at `alpha` — one error in 50 requests is noise, 5% of 200 is not. Valid at any
 * sample size, so a faulty candidate is caught before `minSamples` requests.
 */
function errorBudget(slo: SloPolicy, stats: VariantWindowStats): SloCheck {
  const { errors, requests } = counted(stats, slo);
  const rate = requests > 0 ? errors / requests : 0;
  const pValue = binomialUpperTail(errors, requests, slo.maxErrorRate);
  const failed = pValue < slo.alpha;
  const what = slo.countClientErrors ? 'errors (server and client)' : 'server errors';
  const clientNote =
    !slo.countClientErrors && (stats.clientErrors ?? 0) > 0 ? `; ${stats.clientErrors} client errors not counted` : '';
  return check({
    check: 'errorRate',
    status: failed ? 'fail' : 'pass',
    hard: true,
    actual: rate,
    threshold: slo.maxErrorRate,
    pValue,
    detail: `${what} ${errors}/${requests} (${pct(rate)}) ${failed ? '>' : 'within'} ${pct(slo.maxErrorRate)}${errors > 0 ? ` (p = ${fmtP(pValue)}${failed ? ` < ${slo.alpha}` : ''})` : ''}${clientNote}`,
  });
}

/** Hard rule: the absolute p99 ceiling, judged once the candidate has `minSamples` successes. */
function p99Ceiling(slo: SloPolicy, stats: VariantWindowStats, candidate: VariantJudged): SloCheck | null {
  if (slo.maxP99LatencyMs === null) return null;
  const p99 = stats.p99Ms;
  if (candidate.successes < Math.max(1, slo.minSamples)) {
    // With no minimum asked for, an empty window has nothing to judge rather than too little.
    const nothing = candidate.successes === 0 && slo.minSamples === 0;
    return check({
      check: 'p99LatencyMs',
      status: nothing ? 'skipped' : 'inconclusive',
      hard: true,
      threshold: slo.maxP99LatencyMs,
      detail: `p99 not judged on ${candidate.successes} successful requests`,
    });
  }
  const failed = p99 > slo.maxP99LatencyMs;
  return check({
    check: 'p99LatencyMs',
    status: failed ? 'fail' : 'pass',
    hard: true,
    actual: p99,
    threshold: slo.maxP99LatencyMs,
    detail: `p99 ${round(p99)} ms ${failed ? '>' : '≤'} ${slo.maxP99LatencyMs} ms`,
  });
}

/**
 * The relative latency rule (not hard). With distributions from both variants: a one-sided
 * Mann–Whitney U test that the candidate is slower, and a minimum effect — as Kayenta's
 * Mann–Whitney classifier calls a metric High only when the difference is significant and its
 * effect size is past the allowed increase. Without distributions (CloudWatch percentiles): the
 * p99 rule `candidate ≤ baseline × ratio + slack`, and the comparison says the test was not available.
 */
function latencyVersusBaseline(
  slo: SloPolicy,
  candidate: VariantWindowStats,
  baseline: VariantWindowStats,
  judgedCandidate: VariantJudged,
  judgedBaseline: VariantJudged,
): { checks: SloCheck[]; comparison: LatencyComparison } {
  const source = candidate.source ?? baseline.source ?? 'local';
  const x = usableLatency(candidate);
  const y = usableLatency(baseline);
  const none = {
    u: null,
    z: null,
    pValue: null,
    exact: null,
    shiftMs: null,
    shiftRatio: null,
    alpha: slo.alpha,
    minShiftMs: null,
  };
  if (!x || !y) {
    const malformed = [candidate, baseline].find((s) => s.latency && binsProblem(s.latency) !== null);
    const rules = 'Mann–Whitney test not available, median and p99 rules used';
    const note =
      source === 'cloudwatch'
        ? `CloudWatch reports percentiles only: ${rules}`
        : malformed
          ? `latency distribution of ${malformed.variant} unusable (${binsProblem(malformed.latency!)}): ${rules}`
          : `no latency distribution reported: ${rules}`;
    // Without samples there is no significance test: the median must shift by the same minimum
    // effect, and persistence (failureThreshold windows sharing no traffic) stands in for p < alpha.
    const shiftMs = candidate.p50Ms - baseline.p50Ms;
    const minShiftMs = Math.max(slo.minLatencyShiftMs, slo.minLatencyShiftRatio * baseline.p50Ms);
    const slower = shiftMs >= minShiftMs;
    const shift = `median ${round(candidate.p50Ms)} ms, ${shiftMs >= 0 ? '+' : ''}${round(shiftMs)} ms over baseline ${round(baseline.p50Ms)} ms`;
    const checks = [
      check({
        check: 'latencyShift',
        status: slower ? 'fail' : 'pass',
        hard: false,
        actual: shiftMs,
        threshold: minShiftMs,
        detail: `${slower ? 'candidate slower: ' : ''}${shift} ${slower ? '≥' : '<'} ${round(minShiftMs)} ms`,
      }),
    ];
    if (slo.maxP99LatencyRatio !== null) {
      const ceiling = baseline.p99Ms * slo.maxP99LatencyRatio + slo.p99LatencySlackMs;
      const failed = candidate.p99Ms > ceiling;
      checks.push(
        check({
          check: 'p99LatencyRelative',
          status: failed ? 'fail' : 'pass',
          hard: false,
          actual: candidate.p99Ms,
          threshold: ceiling,
          detail: `p99 ${round(candidate.p99Ms)} ms ${failed ? '>' : '≤'} baseline ${round(baseline.p99Ms)} ms × ${slo.maxP99LatencyRatio} + ${slo.p99LatencySlackMs} ms`,
        }),
      );
    }
    return {
      checks,
      comparison: {
        method: 'percentile',
        source,
        note,
        ...none,
        shiftMs,
        shiftRatio: baseline.p50Ms > 0 ? shiftMs / baseline.p50Ms : null,
        minShiftMs,
      },
    };
  }

  const test = mannWhitneyGreater(x, y);
  const shiftMs = hodgesLehmannShift(x, y);
  const baselineMedian = judgedBaseline.medianMs ?? 0;
  const minShiftMs = Math.max(slo.minLatencyShiftMs, slo.minLatencyShiftRatio * baselineMedian);
  const comparison: LatencyComparison = {
    method: 'mann-whitney',
    source,
    note: null,
    u: test.u,
    z: test.z,
    pValue: test.pValue,
    exact: test.method === 'exact',
    shiftMs,
    shiftRatio: baselineMedian > 0 ? shiftMs / baselineMedian : null,
    alpha: slo.alpha,
    minShiftMs,
  };
  const shift = `latency shift ${shiftMs >= 0 ? '+' : ''}${round(shiftMs)} ms over median ${round(baselineMedian)} ms`;
  const base = { check: 'latencyShift' as const, hard: false, actual: shiftMs, threshold: minShiftMs };
  if (smallestPValue(test.n1, test.n2) >= slo.alpha) {
    return {
      comparison,
      checks: [
        check({
          ...base,
          status: 'inconclusive',
          pValue: test.pValue,
          detail: `${shift}: ${judgedCandidate.successes} vs ${judgedBaseline.successes} requests cannot reach p < ${slo.alpha}`,
        }),
      ],
    };
  }
  const significant = test.pValue < slo.alpha;
  const large = shiftMs >= minShiftMs;
  const failed = significant && large;
  return {
    comparison,
    checks: [
      check({
        ...base,
        status: failed ? 'fail' : 'pass',
        pValue: test.pValue,
        detail: failed
          ? `candidate slower: ${shift} ≥ ${round(minShiftMs)} ms (Mann–Whitney p = ${fmtP(test.pValue)} < ${slo.alpha})`
          : significant
            ? `${shift} < ${round(minShiftMs)} ms minimum effect (p = ${fmtP(test.pValue)})`
            : `${shift}, not significant (p = ${fmtP(test.pValue)} ≥ ${slo.alpha})`,
      }),
    ],
  };
}

/** The smallest one-sided p-value the normal approximation can give for these sizes (no ties). */
function smallestPValue(n1: number, n2: number): number {
  const sigma = Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12);
  return normalSf((n1 * n2 - (n1 * n2) / 2 - 0.5) / sigma);
}

function verdictOf(
  what: string,
  checks: SloCheck[],
  enough: boolean,
  samplesNote: string,
): Pick<SloEvaluation, 'verdict' | 'hard' | 'summary'> {
  const failed = checks.filter((c) => c.status === 'fail');
  const hard = failed.some((c) => c.hard);
  const list = (cs: SloCheck[]) => cs.map((c) => c.detail).join('; ');
  if (hard) return { verdict: 'fail', hard, summary: `${what} failed: ${list(failed.filter((c) => c.hard))}` };
  if (!enough) return { verdict: 'inconclusive', hard, summary: `${what}: ${samplesNote}` };
  if (failed.length) return { verdict: 'fail', hard, summary: `${what} failed: ${list(failed)}` };
  const open = checks.filter((c) => c.status === 'inconclusive');
  if (open.length) return { verdict: 'inconclusive', hard, summary: `${what} inconclusive: ${list(open)}` };
  return { verdict: 'pass', hard, summary: `${what} within SLO (${list(checks.filter((c) => c.status === 'pass'))})` };
}

/**
 * Judges a serving candidate on one window, against its baseline's traffic in the same window.
 * Hard rules act on the first failing window; the latency comparison is reported as a plain
 * failure, and the caller rolls back after `failureThreshold` of them in a row
 * (`nextFailureStreak`). A baseline with fewer than `minSamples` successful requests leaves only
 * the absolute limits, and the evaluation says so.
 */
export function evaluateCanaryWindow(
  slo: SloPolicy,
  candidate: VariantWindowStats,
  baseline: VariantWindowStats | null,
): SloEvaluation {
  const c = judged(candidate, slo);
  const b = baseline ? judged(baseline, slo) : null;
  const checks: SloCheck[] = [errorBudget(slo, candidate)];
  const ceiling = p99Ceiling(slo, candidate, c);
  if (ceiling) checks.push(ceiling);
  let latency: LatencyComparison | null = null;
  let note: string | null = null;
  const needed = Math.max(1, slo.minSamples);
  if (!baseline || !b) {
    note = 'no baseline: absolute limits only';
  } else if (b.successes < needed) {
    note = `baseline ${baseline.variant} served ${b.successes} successful requests in the window (fewer than ${needed}): absolute limits only`;
  } else if (c.successes >= needed) {
    const relative = latencyVersusBaseline(slo, candidate, baseline, c, b);
    latency = relative.comparison;
    checks.push(...relative.checks);
  }
  const enough = c.judgedRequests >= slo.minSamples;
  const samplesNote = `${c.judgedRequests} of ${slo.minSamples} samples needed`;
  const verdict = verdictOf('canary window', checks, enough, samplesNote);
  return {
    ...verdict,
    summary: note && verdict.verdict !== 'inconclusive' ? `${verdict.summary} [${note}]` : verdict.summary,
    comparison: note ? 'absolute-only' : 'relative',
    note,
    checks,
    candidate: c,
    baseline: b,
    latency,
  };
}

/**
 * Judges a shadow candidate: its prediction agreement with the primary (hard: an exact binomial
 * test that agreement is below `minAgreement` at `alpha`; no agreement measured at all fails), plus
 * the canary rules on its own latency and errors.
 */
export function evaluateShadowWindow(
  shadow: ShadowPolicy,
  slo: SloPolicy,
  candidate: VariantWindowStats,
  baseline: VariantWindowStats | null,
): SloEvaluation {
  const samples = candidate.shadowSamples ?? candidate.requests;
  const agreement = candidate.agreement ?? null;
  const canary = evaluateCanaryWindow(slo, candidate, baseline);
  let agreementCheck: SloCheck;
  if (agreement === null) {
    agreementCheck = check({
      check: 'agreement',
      status: samples >= shadow.minSamples && samples > 0 ? 'fail' : 'inconclusive',
      hard: true,
      threshold: shadow.minAgreement,
      detail: 'no agreement measured',
    });
  } else {
    const disagreeing = Math.round((1 - agreement) * samples);
    const pValue = binomialUpperTail(disagreeing, samples, 1 - shadow.minAgreement);
    const failed = pValue < slo.alpha;
    agreementCheck = check({
      check: 'agreement',
      status: failed ? 'fail' : 'pass',
      hard: true,
      actual: agreement,
      threshold: shadow.minAgreement,
      pValue,
      detail: `agreement ${round(agreement)} ${failed ? '<' : agreement >= shadow.minAgreement ? '≥' : 'not shown below'} ${shadow.minAgreement} on ${samples} samples${agreement < shadow.minAgreement ? ` (p = ${fmtP(pValue)})` : ''}`,
    });
  }
  const checks = [agreementCheck, ...canary.checks];
  const enough = samples >= shadow.minSamples;
  const needed = `${samples} of ${shadow.minSamples} samples needed`;
  const verdict = verdictOf('shadow window', checks, enough, needed);
  return {
    ...canary,
    ...verdict,
    summary:
      canary.note && verdict.verdict !== 'inconclusive' ? `${verdict.summary} [${canary.note}]` : verdict.summary,
    checks,
  };
}

/**
 * Failing windows in a row. Windows overlap (each check reads the last `windowSeconds`, checks
 * come every `checkIntervalSeconds`), so consecutive failing windows can share the same few bad
 * seconds: only failing windows that share no traffic with the streak's last counted one count.
 */
export interface FailureStreak {
  /** Failing windows of the streak that share no traffic with each other. */
  count: number;
  /** Workflow time (ms) of the streak's last counted window; null without a streak. */
  countedAtMs: number | null;
}

export const noFailureStreak: FailureStreak = Object.freeze({ count: 0, countedAtMs: null });

/**
 * The streak after a window judged at `atMs`: a failing window that does not overlap the last
 * counted one adds one (an overlapping one keeps the streak as it is), a passing window resets
 * it, an inconclusive one (no evidence either way) leaves it.
 */
export function nextFailureStreak(
  streak: FailureStreak,
  evaluation: Pick<SloEvaluation, 'verdict'>,
  atMs: number,
  windowSeconds: number,
): FailureStreak {
  switch (evaluation.verdict) {
    case 'pass':
      return noFailureStreak;
    case 'inconclusive':
      return streak;
    case 'fail':
      return streak.countedAtMs === null || atMs - streak.countedAtMs >= windowSeconds * 1000
        ? { count: streak.count + 1, countedAtMs: atMs }
        : streak;
  }
}

/** A hard failure rolls back at once; any other failure once the streak reaches `failureThreshold`. */
export function shouldRollBack(
  slo: Pick<SloPolicy, 'failureThreshold'>,
  evaluation: Pick<SloEvaluation, 'verdict' | 'hard'>,
  streak: FailureStreak,
): boolean {
  return evaluation.verdict === 'fail' && (evaluation.hard || streak.count >= slo.failureThreshold);
}
