import { FledgeError } from '@fledge/errors';

/** Offline gate: absolute floors and maximum regressions against the baseline's evaluation. */
export interface GatePolicy {
  /** Dataset version both versions are graded on; required when any rule is set. */
  datasetVersionId: string | null;
  minAccuracy: number | null;
  minMacroF1: number | null;
  /** Maximum allowed drop versus the baseline on the same dataset version, in absolute points (0.01 = 1 point). */
  maxAccuracyDrop: number | null;
  maxMacroF1Drop: number | null;
  /** Per-class F1 floors by label. */
  perClassMinF1: Record<string, number>;
}

export interface ShadowPolicy {
  enabled: boolean;
  sampleRate: number;
  durationSeconds: number;
  minSamples: number;
  /** Minimum fraction of mirrored requests where the candidate agrees with the primary. */
  minAgreement: number;
  /**
   * Regression models: a mirrored prediction agrees when |candidate − primary| ≤ this × the larger
   * of the two magnitudes (0.05 = within 5%).
   */
  regressionTolerance: number;
}

export interface CanaryStep {
  weight: number;
  bakeSeconds: number;
}

/**
 * How a window is judged (`libs/domain/src/slo/slo.ts`). Hard rules (the error budget, the
 * absolute p99 ceiling, shadow agreement) roll back on the first failing window; the relative
 * latency rule needs `failureThreshold` failing windows in a row.
 */
export interface SloPolicy {
  /** Hard: absolute p99 latency ceiling for the candidate, in milliseconds. */
  maxP99LatencyMs: number | null;
  /**
   * Percentile fallback, used only where the backend reports no latency distribution (CloudWatch):
   * candidate p99 ≤ baseline p99 × ratio + slack, beside the median rule of the minimum effect
   * below. Off (null) by default: a p99 of a few hundred requests is decided by one pause, and in
   * bench:judge this rule alone rolled back 2 of 10 byte-identical copies.
   */
  maxP99LatencyRatio: number | null;
  /** Additive tolerance for the percentile fallback, so sub-millisecond jitter cannot trip it. */
  p99LatencySlackMs: number;
  /** Hard: the candidate's server-error rate must not be shown (binomial test at `alpha`) to exceed this. */
  maxErrorRate: number;
  /** Client errors (4xx) count toward the error budget too; off by default, so bad requests cannot force a rollback. */
  countClientErrors: boolean;
  /** Significance level of every statistical rule (latency rank test, error budget, agreement). */
  alpha: number;
  /**
   * Minimum latency effect: the candidate is slower only when the Hodges–Lehmann shift of its
   * latencies over the baseline's is significant (p < alpha) AND at least this many milliseconds…
   */
  minLatencyShiftMs: number;
  /** …and at least this fraction of the baseline's median latency. */
  minLatencyShiftRatio: number;
  /**
   * Failing windows of the relative latency rule, in a row and sharing no traffic (at least
   * `windowSeconds` apart), that roll back.
   */
  failureThreshold: number;
  /** Requests the candidate must have served in a window before the window counts. */
  minSamples: number;
  windowSeconds: number;
}

export interface RolloutPolicy {
  gate: GatePolicy;
  shadow: ShadowPolicy;
  canary: { steps: CanaryStep[] };
  slo: SloPolicy;
  checkIntervalSeconds: number;
  /** How long past a bake the rollout waits for enough samples before it fails. */
  maxSampleWaitSeconds: number;
  promote: { bakeSeconds: number; requireApproval: boolean };
}

export type RolloutPolicyInput = {
  gate?: Partial<GatePolicy>;
  shadow?: Partial<ShadowPolicy>;
  canary?: { steps?: CanaryStep[] };
  slo?: Partial<SloPolicy>;
  checkIntervalSeconds?: number;
  maxSampleWaitSeconds?: number;
  promote?: Partial<RolloutPolicy['promote']>;
};

export const defaultRolloutPolicy: RolloutPolicy = Object.freeze({
  gate: {
    datasetVersionId: null,
    minAccuracy: null,
    minMacroF1: null,
    maxAccuracyDrop: 0.01,
    maxMacroF1Drop: null,
    perClassMinF1: {},
  },
  shadow: {
    enabled: true,
    sampleRate: 1,
    durationSeconds: 60,
    minSamples: 100,
    minAgreement: 0.95,
    regressionTolerance: 0.05,
  },
  canary: {
    steps: [
      { weight: 5, bakeSeconds: 120 },
      { weight: 25, bakeSeconds: 120 },
      { weight: 50, bakeSeconds: 120 },
    ],
  },
  slo: {
    maxP99LatencyMs: null,
    maxP99LatencyRatio: null,
    p99LatencySlackMs: 1,
    maxErrorRate: 0.01,
    countClientErrors: false,
    alpha: 0.01,
    minLatencyShiftMs: 1,
    minLatencyShiftRatio: 0.2,
    failureThreshold: 2,
    minSamples: 50,
    windowSeconds: 60,
  },
  checkIntervalSeconds: 10,
  maxSampleWaitSeconds: 300,
  promote: { bakeSeconds: 60, requireApproval: false },
}) as RolloutPolicy;

type Issue = { field: string; problem: string; conflictsWith?: string };

function checkNumber(
  issues: Issue[],
  field: string,
  value: unknown,
  { min, max, integer = false, nullable = false }: { min: number; max: number; integer?: boolean; nullable?: boolean },
): void {
  if (value === null && nullable) return;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    issues.push({ field, problem: `must be a finite number${nullable ? ' or null' : ''}` });
  } else if (integer && !Number.isInteger(value)) {
    issues.push({ field, problem: 'must be an integer' });
  } else if (value < min || value > max) {
    issues.push({ field, problem: `must be between ${min} and ${max}` });
  }
}

function checkBoolean(issues: Issue[], field: string, value: unknown): void {
  if (typeof value !== 'boolean') issues.push({ field, problem: 'must be true or false' });
}

const knownKeys: Record<string, readonly string[]> = {
  '': ['gate', 'shadow', 'canary', 'slo', 'checkIntervalSeconds', 'maxSampleWaitSeconds', 'promote'],
  gate: Object.keys(defaultRolloutPolicy.gate),
  shadow: Object.keys(defaultRolloutPolicy.shadow),
  canary: ['steps'],
  slo: Object.keys(defaultRolloutPolicy.slo),
  promote: Object.keys(defaultRolloutPolicy.promote),
};

function checkUnknownKeys(issues: Issue[], input: unknown): void {
  if (input === null || typeof input !== 'object') return;
  for (const [section, keys] of Object.entries(knownKeys)) {
    const value = section === '' ? input : (input as Record<string, unknown>)[section];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      issues.push({ field: section, problem: 'must be an object' });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key))
        issues.push({ field: section ? `${section}.${key}` : key, problem: 'is not a policy field' });
    }
  }
}

/**
 * Merges a user policy over the defaults and validates every field. A bad policy is refused as a
 * whole with INVALID_ARGUMENT whose details name each field, so nothing half-valid starts.
 */
export function resolveRolloutPolicy(input: RolloutPolicyInput | null | undefined): RolloutPolicy {
  const issues: Issue[] = [];
  if (input !== null && input !== undefined && (typeof input !== 'object' || Array.isArray(input))) {
    throw new FledgeError('INVALID_ARGUMENT', 'policy must be an object', { reason: 'POLICY_INVALID' });
  }
  checkUnknownKeys(issues, input);
  const i = input ?? {};
  const d = defaultRolloutPolicy;
  const policy: RolloutPolicy = {
    gate: { ...d.gate, ...i.gate, perClassMinF1: { ...(i.gate?.perClassMinF1 ?? d.gate.perClassMinF1) } },
    shadow: { ...d.shadow, ...i.shadow },
    canary: { steps: (i.canary?.steps ?? d.canary.steps).map((s) => ({ ...s })) },
    slo: { ...d.slo, ...i.slo },
    checkIntervalSeconds: i.checkIntervalSeconds ?? d.checkIntervalSeconds,
    maxSampleWaitSeconds: i.maxSampleWaitSeconds ?? d.maxSampleWaitSeconds,
    promote: { ...d.promote, ...i.promote },
  };
  if (issues.length) throw policyError(issues);

  const { gate, shadow, slo } = policy;
  if (gate.datasetVersionId !== null && (typeof gate.datasetVersionId !== 'string' || gate.datasetVersionId === '')) {
    issues.push({ field: 'gate.datasetVersionId', problem: 'must be a dataset version id or null' });
  }
  checkNumber(issues, 'gate.minAccuracy', gate.minAccuracy, { min: 0, max: 1, nullable: true });
  checkNumber(issues, 'gate.minMacroF1', gate.minMacroF1, { min: 0, max: 1, nullable: true });
  checkNumber(issues, 'gate.maxAccuracyDrop', gate.maxAccuracyDrop, { min: 0, max: 1, nullable: true });
  checkNumber(issues, 'gate.maxMacroF1Drop', gate.maxMacroF1Drop, { min: 0, max: 1, nullable: true });
  if (typeof gate.perClassMinF1 !== 'object' || gate.perClassMinF1 === null || Array.isArray(gate.perClassMinF1)) {
    issues.push({ field: 'gate.perClassMinF1', problem: 'must be an object of label → floor' });
  } else {
    for (const [label, floor] of Object.entries(gate.perClassMinF1)) {
      checkNumber(issues, `gate.perClassMinF1.${label}`, floor, { min: 0, max: 1 });
    }
  }

  checkBoolean(issues, 'shadow.enabled', shadow.enabled);
  checkNumber(issues, 'shadow.sampleRate', shadow.sampleRate, { min: 0.001, max: 1 });
  checkNumber(issues, 'shadow.durationSeconds', shadow.durationSeconds, { min: 0, max: 7 * 86_400, integer: true });
  checkNumber(issues, 'shadow.minSamples', shadow.minSamples, { min: 0, max: 1e9, integer: true });
  checkNumber(issues, 'shadow.minAgreement', shadow.minAgreement, { min: 0, max: 1 });
  checkNumber(issues, 'shadow.regressionTolerance', shadow.regressionTolerance, { min: 0, max: 10 });

  if (!Array.isArray(policy.canary.steps)) {
    issues.push({ field: 'canary.steps', problem: 'must be a list of { weight, bakeSeconds }' });
  } else {
    if (policy.canary.steps.length > 20) issues.push({ field: 'canary.steps', problem: 'must have at most 20 steps' });
    let previous = 0;
    policy.canary.steps.forEach((step, index) => {
      const field = `canary.steps[${index}]`;
      if (step === null || typeof step !== 'object') {
        issues.push({ field, problem: 'must be { weight, bakeSeconds }' });
        return;
      }
      checkNumber(issues, `${field}.weight`, step.weight, { min: 1, max: 99, integer: true });
      checkNumber(issues, `${field}.bakeSeconds`, step.bakeSeconds, { min: 0, max: 7 * 86_400, integer: true });
      if (typeof step.weight === 'number' && step.weight <= previous) {
        issues.push({
          field: `${field}.weight`,
          problem: `must be greater than the previous step's weight (${previous})`,
        });
      }
      if (typeof step.weight === 'number') previous = step.weight;
    });
  }

  checkNumber(issues, 'slo.maxP99LatencyMs', slo.maxP99LatencyMs, { min: 0.01, max: 600_000, nullable: true });
  checkNumber(issues, 'slo.maxP99LatencyRatio', slo.maxP99LatencyRatio, { min: 1, max: 100, nullable: true });
  checkNumber(issues, 'slo.p99LatencySlackMs', slo.p99LatencySlackMs, { min: 0, max: 600_000 });
  checkNumber(issues, 'slo.maxErrorRate', slo.maxErrorRate, { min: 0, max: 1 });
  checkBoolean(issues, 'slo.countClientErrors', slo.countClientErrors);
  checkNumber(issues, 'slo.alpha', slo.alpha, { min: 1e-9, max: 0.5 });
  checkNumber(issues, 'slo.minLatencyShiftMs', slo.minLatencyShiftMs, { min: 0, max: 600_000 });
  checkNumber(issues, 'slo.minLatencyShiftRatio', slo.minLatencyShiftRatio, { min: 0, max: 100 });
  checkNumber(issues, 'slo.failureThreshold', slo.failureThreshold, { min: 1, max: 100, integer: true });
  checkNumber(issues, 'slo.minSamples', slo.minSamples, { min: 0, max: 1e9, integer: true });
  checkNumber(issues, 'slo.windowSeconds', slo.windowSeconds, { min: 1, max: 86_400, integer: true });
  checkNumber(issues, 'checkIntervalSeconds', policy.checkIntervalSeconds, { min: 1, max: 86_400, integer: true });
  checkNumber(issues, 'maxSampleWaitSeconds', policy.maxSampleWaitSeconds, { min: 0, max: 7 * 86_400, integer: true });
  checkNumber(issues, 'promote.bakeSeconds', policy.promote.bakeSeconds, { min: 0, max: 7 * 86_400, integer: true });
  checkBoolean(issues, 'promote.requireApproval', policy.promote.requireApproval);

  const gateRulesSet =
    gate.minAccuracy !== null || gate.minMacroF1 !== null || Object.keys(gate.perClassMinF1 ?? {}).length > 0;
  if (gateRulesSet && gate.datasetVersionId === null) {
    issues.push({ field: 'gate.datasetVersionId', problem: 'is required when a gate rule is set' });
  }

  if (issues.length) throw policyError(issues);
  checkContradictions(issues, policy);
  if (issues.length) throw policyError(issues);
  return policy;
}

/** Fields that are valid alone but cannot hold together; each issue names both. */
function checkContradictions(issues: Issue[], { slo, checkIntervalSeconds }: RolloutPolicy): void {
  if (slo.windowSeconds < checkIntervalSeconds) {
    issues.push({
      field: 'slo.windowSeconds',
      problem: `(${slo.windowSeconds}) must be at least checkIntervalSeconds (${checkIntervalSeconds}): traffic between two windows would never be judged`,
      conflictsWith: 'checkIntervalSeconds',
    });
  }
  if (slo.maxP99LatencyMs !== null && slo.minLatencyShiftMs >= slo.maxP99LatencyMs) {
    issues.push({
      field: 'slo.minLatencyShiftMs',
      problem: `(${slo.minLatencyShiftMs} ms) must be below slo.maxP99LatencyMs (${slo.maxP99LatencyMs} ms): a slowdown that large already breaks the absolute ceiling, so the latency test could never act`,
      conflictsWith: 'slo.maxP99LatencyMs',
    });
  }
}

function policyError(issues: Issue[]): FledgeError {
  const message = `invalid rollout policy: ${issues.map((x) => `${x.field} ${x.problem}`).join('; ')}`;
  const fields = [...new Set(issues.flatMap((x) => (x.conflictsWith ? [x.field, x.conflictsWith] : [x.field])))];
  return new FledgeError('INVALID_ARGUMENT', message, {
    reason: 'POLICY_INVALID',
    details: { fields, issues },
  });
}
