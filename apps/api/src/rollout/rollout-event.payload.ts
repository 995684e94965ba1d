import { describeRollbackCause, RolloutState, type RollbackCause } from '@fledge/domain';
import { z } from 'zod';

import {
  type RolloutEventKind,
  type RolloutEventPayload,
  type RolloutStepObject,
  type SloWindowObject,
} from './rollout-event.types.js';

// Decodes the JSON the rollout workflow records (events, and its live status) into the typed
// GraphQL objects. Stored events outlive the code that wrote them: fields added later get
// defaults, verdicts recorded before the statistical judge keep their meaning (breach → fail,
// insufficient → inconclusive), and an event that does not decode is shown as unrecognized with
// its raw detail rather than failing the whole query.

const int = z.number().int();
const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);
const text = nullable(z.string());
const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const phase = z.enum(['shadow', 'canary', 'approval', 'promoting', 'final', 'rollback']);
const state = z.enum(Object.values(RolloutState) as [RolloutState, ...RolloutState[]]);
const legacyVerdicts = { breach: 'fail', insufficient: 'inconclusive' } as const;
const verdict = z
  .enum(['pass', 'fail', 'inconclusive', 'breach', 'insufficient'])
  .transform((v) => (v === 'breach' || v === 'insufficient' ? legacyVerdicts[v] : v));

const versionRef = z.object({ modelVersionId: z.string(), modelName: z.string(), version: int });

const variant = z.object({
  name: z.string(),
  role: z.string(),
  weight: int,
  shadowSampleRate: z.number().default(0),
});

const step = z.object({
  key: z.string(),
  phase,
  ordinal: int,
  canaryStep: nullable(int),
  canarySteps: int.default(0),
  weight: nullable(int),
  bakeSeconds: int.default(0),
  bakedSeconds: int.default(0),
});

const gate = z.object({
  passed: z.boolean(),
  skipped: z.boolean().default(false),
  rules: z
    .array(
      z.object({
        rule: z.string(),
        passed: z.boolean(),
        actual: nullable(z.number()),
        threshold: z.number(),
        reason: z.string().default(''),
      }),
    )
    .default([]),
  summary: z.string().default(''),
});

const evaluationRef = nullable(z.object({ evaluationId: z.string(), status: z.string() }));

const checkStatus = z
  .enum(['pass', 'fail', 'inconclusive', 'skipped', 'breach', 'insufficient'])
  .transform((v) => (v === 'breach' || v === 'insufficient' ? legacyVerdicts[v] : v));

// Checks recorded before the statistical judge have no status: it follows from `passed`.
const sloCheck = z
  .object({
    check: z.string(),
    passed: z.boolean(),
    status: checkStatus.optional(),
    hard: z.boolean().default(false),
    actual: nullable(z.number()),
    threshold: nullable(z.number()),
    pValue: nullable(z.number()),
    detail: z.string().default(''),
  })
  .transform(({ status, ...c }) => ({ ...c, status: status ?? (c.passed ? 'pass' : 'fail') }));

const windowStats = z.object({
  variant: z.string(),
  requests: int,
  errors: int,
  clientErrors: int.default(0),
  p50Ms: z.number().default(0),
  p95Ms: z.number().default(0),
  p99Ms: z.number().default(0),
  maxMs: z.number().default(0),
  shadowSamples: nullable(int),
  agreement: nullable(z.number()),
  source: text,
  judgedRequests: nullable(int),
  successes: nullable(int),
  serverErrors: nullable(int),
  errorRate: nullable(z.number()),
  medianMs: nullable(z.number()),
});

const latencyComparison = nullable(
  z.object({
    method: z.string(),
    source: z.string().default('local'),
    note: text,
    u: nullable(z.number()),
    z: nullable(z.number()),
    pValue: nullable(z.number()),
    exact: nullable(z.boolean()),
    shiftMs: nullable(z.number()),
    shiftRatio: nullable(z.number()),
    alpha: z.number(),
    minShiftMs: nullable(z.number()),
  }),
);

const sloEvaluation = z.object({
  verdict,
  hard: z.boolean().default(false),
  comparison: z.enum(['relative', 'absolute-only']).default('relative'),
  note: text,
  summary: z.string().default(''),
  checks: z.array(sloCheck).default([]),
  latency: latencyComparison,
});

// Windows recorded before the judge have no streak or bake figures: one failure was enough then.
const sloWindow = sloEvaluation.extend({
  at: isoDate,
  phase,
  stepKey: z.string(),
  candidate: windowStats,
  baseline: nullable(windowStats),
  consecutiveFailures: int.default(0),
  failureThreshold: int.default(1),
  observedSeconds: nullable(z.number()),
  bakeSeconds: nullable(int),
});

const cause = nullable(
  z
    .object({
      kind: z.string(),
      phase: nullable(phase),
      summary: text,
      source: text,
      name: text,
      alarmId: text,
      by: text,
      reason: text,
      message: text,
    })
    .transform((c) => ({ ...c, description: describeCause(c) })),
);

function describeCause(c: { kind: string }): string {
  const known = ['alarm', 'slo', 'insufficient-samples', 'abort', 'error'];
  return known.includes(c.kind) ? describeRollbackCause(c as RollbackCause) : c.kind;
}

const variants = z.array(variant).default([]);
const lastChecks = z.array(sloWindow).default([]);

const payloads = {
  'rollout.started': z.object({
    candidate: versionRef,
    baseline: nullable(versionRef),
    initiatedBy: z.string().default(''),
    stages: z.array(z.string()).default([]),
    policy: z.record(z.string(), z.unknown()).default({}),
  }),
  'rollout.continued': z.object({ run: int, historyLength: nullable(int) }),
  'rollout.finished': z.object({
    state,
    reason: text,
    variants,
    gate: nullable(gate),
    cause,
    lastChecks,
    cleanupError: text,
  }),
  'state.changed': z.object({ state, reason: text, step: nullable(step) }),
  'gate.evaluated': z
    .object({ gate, candidate: evaluationRef, baseline: evaluationRef })
    .transform(({ gate, candidate, baseline }) => ({
      gate,
      candidateEvaluation: candidate,
      baselineEvaluation: baseline,
    })),
  'traffic.applied': z.object({ stepKey: z.string(), variants, alreadyApplied: z.boolean().default(false) }),
  'slo.window': sloWindow
    .extend({ paused: z.boolean().default(false) })
    .transform(({ paused, ...window }) => ({ window, paused })),
  'step.completed': z
    .object({
      stepKey: z.string(),
      decision: z.string(),
      evidence: nullable(sloEvaluation),
      maxSampleWaitSeconds: nullable(int),
      by: text,
      candidate: nullable(versionRef),
      baseline: nullable(versionRef),
    })
    .transform(({ candidate, baseline, ...step }) => ({ ...step, promoted: candidate, replaced: baseline })),
  'signal.received': z
    .object({
      signal: z.string(),
      at: isoDate,
      state,
      action: text,
      by: text,
      reason: text,
      source: text,
      name: text,
      alarmId: text,
      detail: nullable(z.object({ summary: text })),
      awaitingApproval: nullable(z.boolean()),
    })
    .transform(({ at, detail, ...signal }) => ({ ...signal, receivedAt: at, summary: detail?.summary ?? null })),
  'rollback.completed': z.object({ cause, reason: text, variants, lastChecks, cleanupError: text }),
  'cleanup.failed': z.object({ stepKey: z.string().default('cleanup'), error: z.string() }),
} satisfies Record<RolloutEventKind, z.ZodType>;

const isKnown = (type: string): type is RolloutEventKind => Object.hasOwn(payloads, type);

/** The typed payload of a recorded event; unrecognized (with the raw detail) when it does not decode. */
export function decodeEventPayload(type: string, detail: Record<string, unknown>): RolloutEventPayload {
  if (isKnown(type)) {
    const decoded = payloads[type].safeParse(detail);
    if (decoded.success) return { kind: type, ...decoded.data } as RolloutEventPayload;
  }
  return { kind: 'unrecognized', type, detail };
}

/** The live status's step, or null when it does not decode. */
export function decodeStep(value: unknown): RolloutStepObject | null {
  const decoded = step.safeParse(value);
  return decoded.success ? (decoded.data as RolloutStepObject) : null;
}

/** The live status's SLO windows; a window that does not decode is left out. */
export function decodeWindows(value: unknown): SloWindowObject[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((w) => {
    const decoded = sloWindow.safeParse(w);
    return decoded.success ? [decoded.data as SloWindowObject] : [];
  });
}
