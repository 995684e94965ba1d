import { ApplicationFailure } from '@temporalio/common';

import {
  variantName,
  type ClassificationMetrics,
  type DesiredVariant,
  type LatencyDistribution,
  type VariantWindowStats,
  type VersionRef,
} from '@fledge/domain';

import {
  type GateEvaluation,
  type GateEvaluations,
  type OpenRolloutInput,
  type RecordEventInput,
  type RolloutActivities,
  type SetRolloutStateInput,
} from '../../src/contracts/rollout.contract.js';

export type ActivityName = keyof RolloutActivities;

export interface ActivityCall {
  name: ActivityName;
  input: unknown;
}

/** What a stats read sees: the step whose traffic was last applied and how many reads came before. */
export interface StatsContext {
  stepKey: string | null;
  read: number;
  variants: DesiredVariant[];
}

export type StatsFn = (ctx: StatsContext) => VariantWindowStats[];

export const candidateRef: VersionRef = { modelVersionId: 'mv-2', modelName: 'digits', version: 2 };
export const baselineRef: VersionRef = { modelVersionId: 'mv-1', modelName: 'digits', version: 1 };

export function accuracyMetrics(accuracy: number): ClassificationMetrics {
  return {
    kind: 'classification',
    rows: 1000,
    accuracy,
    macroF1: accuracy,
    weightedF1: accuracy,
    macroPrecision: accuracy,
    macroRecall: accuracy,
    logLoss: 0.1,
    ece: 0.01,
    topK: {},
    perClass: [],
    confusionMatrix: [],
    calibration: [],
  };
}

/** Latencies of `n` successful requests, binned like the runtime's histogram, `shiftMs` slower than usual. */
export function latencyBins(n: number, shiftMs = 0): LatencyDistribution {
  const shape = [5, 20, 35, 25, 10, 4, 1];
  const counts = shape.map((s) => Math.floor((s * n) / 100));
  counts[2] += n - counts.reduce((a, b) => a + b, 0);
  return { valuesMs: shape.map((_, i) => 1.5 + i * 0.5 + shiftMs), counts };
}

/** A window of the local runtime: 500 requests around 2 ms unless overridden. */
export function windowStats(variant: string, overrides: Partial<VariantWindowStats> = {}): VariantWindowStats {
  const requests = overrides.requests ?? 500;
  const successes = Math.max(0, requests - (overrides.errors ?? 0) - (overrides.clientErrors ?? 0));
  return {
    variant,
    requests,
    errors: 0,
    clientErrors: 0,
    source: 'local',
    latency: latencyBins(successes),
    p50Ms: 2,
    p95Ms: 4,
    p99Ms: 5,
    maxMs: 8,
    ...overrides,
  };
}

/** Healthy traffic on every variant; the shadow candidate agrees with the primary. */
export const healthyStats: StatsFn = ({ variants }) =>
  variants.map((v) =>
    v.role === 'shadow' ? windowStats(v.name, { shadowSamples: 500, agreement: 0.99 }) : windowStats(v.name),
  );

/**
 * The worker's activities as an in-memory endpoint and registry: applies variants once per
 * (rollout, stepKey) like the real implementation, upserts events by seq, and records every call
 * in order. Hooks run inside an activity, so a test can signal the workflow at a precise point.
 */
export class FakeRolloutActivities {
  readonly calls: ActivityCall[] = [];
  readonly events = new Map<number, RecordEventInput>();
  readonly states: SetRolloutStateInput[] = [];
  /** Keys that changed the endpoint, in order; a retried or replayed key appears once. */
  readonly trafficChanges: string[] = [];
  readonly applyAttempts = new Map<string, number>();
  served: DesiredVariant[] = [];
  stepKey: string | null = null;
  reads = 0;
  workflowId = '';

  stats: StatsFn = healthyStats;
  gate: GateEvaluations = {
    candidate: { evaluationId: 'ev-2', status: 'succeeded', metrics: accuracyMetrics(0.97) },
    baseline: { evaluationId: 'ev-1', status: 'succeeded', metrics: accuracyMetrics(0.96) },
  };
  /** Reads of the gate's gradings that still find them running before they come back as `gate`. */
  gradingReadsUntilDone = 0;
  gradingReads = 0;
  /** The rows `openRollout` wrote, by rollout id (a retried or repeated call writes nothing new). */
  readonly opened = new Map<string, OpenRolloutInput>();
  /** Set: `openRollout` refuses, as when another rollout of the endpoint is active in the registry. */
  openRefused: string | null = null;
  /** Step keys whose first attempt changes traffic and then fails, as if the reply were lost. */
  failAfterApplyOnce = new Set<string>();
  cleanupFails = false;
  onGrade?: () => Promise<void>;
  /** Runs inside each read of the gate's gradings, with the number of reads so far. */
  onGradingRead?: (reads: number) => Promise<void>;
  onRead?: (ctx: StatsContext) => Promise<void>;
  onState?: (input: SetRolloutStateInput) => Promise<void>;

  private readonly appliedKeys = new Map<string, DesiredVariant[]>();

  /** The candidate's grading comes back with this accuracy (the baseline's stays). */
  gradeCandidate(accuracy: number): this {
    this.gate = {
      ...this.gate,
      candidate: { evaluationId: 'ev-2', status: 'succeeded', metrics: accuracyMetrics(accuracy) },
    };
    return this;
  }

  callNames(): ActivityName[] {
    return this.calls.map((c) => c.name);
  }

  eventList(): RecordEventInput[] {
    return [...this.events.values()].sort((a, b) => a.seq - b.seq);
  }

  eventsOf(type: RecordEventInput['type']): RecordEventInput[] {
    return this.eventList().filter((e) => e.type === type);
  }

  /** Workflow time at which a step's traffic change was recorded. */
  appliedAt(stepKey: string): number {
    const event = this.eventsOf('traffic.applied').find((e) => e.detail.stepKey === stepKey);
    if (!event) throw new Error(`no traffic change for ${stepKey}`);
    return Date.parse(event.at);
  }

  activities(): RolloutActivities {
    const call = (name: ActivityName, input: unknown) => this.calls.push({ name, input });
    const running = (e: GateEvaluation | null): GateEvaluation | null =>
      e && { evaluationId: e.evaluationId, status: 'running', metrics: null };
    const stillRunning = (): GateEvaluations => ({
      candidate: running(this.gate.candidate),
      baseline: running(this.gate.baseline),
    });
    return {
      openRollout: async (input) => {
        call('openRollout', input);
        if (this.openRefused) {
          throw ApplicationFailure.nonRetryable(this.openRefused, 'ROLLOUT_ALREADY_ACTIVE');
        }
        if (!this.opened.has(input.rolloutId)) this.opened.set(input.rolloutId, input);
      },
      startGateGrading: async (input) => {
        call('startGateGrading', input);
        await this.onGrade?.();
        return this.gradingReadsUntilDone > 0 ? stillRunning() : this.gate;
      },
      readGateGrading: async (input) => {
        call('readGateGrading', input);
        await this.onGradingRead?.(this.gradingReads + 1);
        return ++this.gradingReads > this.gradingReadsUntilDone ? this.gate : stillRunning();
      },
      gradeForGate: async (input) => {
        call('gradeForGate', input);
        await this.onGrade?.();
        return this.gate;
      },
      applyTraffic: async (input) => {
        call('applyTraffic', input);
        const attempts = (this.applyAttempts.get(input.stepKey) ?? 0) + 1;
        this.applyAttempts.set(input.stepKey, attempts);
        const alreadyApplied = this.appliedKeys.has(input.stepKey);
        if (!alreadyApplied) {
          this.appliedKeys.set(input.stepKey, input.variants);
          this.trafficChanges.push(input.stepKey);
          this.served = input.variants;
          this.stepKey = input.stepKey;
        }
        if (this.failAfterApplyOnce.has(input.stepKey) && attempts === 1) {
          throw new Error(`connection reset while applying ${input.stepKey}`);
        }
        return { alreadyApplied };
      },
      readWindowStats: async (input) => {
        call('readWindowStats', input);
        const ctx = { stepKey: this.stepKey, read: this.reads++, variants: this.served };
        await this.onRead?.(ctx);
        return this.stats(ctx).filter((s) => input.variants.includes(s.variant));
      },
      recordEvent: async (input) => {
        call('recordEvent', input);
        this.events.set(input.seq, input);
      },
      setRolloutState: async (input) => {
        call('setRolloutState', input);
        this.states.push(input);
        await this.onState?.(input);
      },
      finalizePromotion: async (input) => {
        call('finalizePromotion', input);
      },
      cleanupCandidate: async (input) => {
        call('cleanupCandidate', input);
        if (this.cleanupFails) {
          throw ApplicationFailure.nonRetryable('the backend refused to delete the candidate model', 'CleanupRefused');
        }
        if (!this.appliedKeys.has(input.stepKey)) {
          this.appliedKeys.set(input.stepKey, input.variants);
          this.trafficChanges.push(input.stepKey);
          this.served = input.variants;
        }
      },
    };
  }
}

export const candidateVariant = variantName(candidateRef);
export const baselineVariant = variantName(baselineRef);
