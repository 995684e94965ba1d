import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';

import {
  assertTransition,
  describeRollbackCause,
  evaluateCanaryWindow,
  evaluateGate,
  evaluateShadowWindow,
  isTerminalRolloutState,
  nextFailureStreak,
  noFailureStreak,
  planTraffic,
  rollbackOutcome,
  shouldRollBack,
  trafficBearingStates,
  validateVariants,
  variantName,
  type DesiredVariant,
  type FailureStreak,
  type GateResult,
  type RollbackCause,
  type RolloutState,
  type SloEvaluation,
  type TrafficPhase,
  type VariantJudged,
  type VariantWindowStats,
} from '@fledge/domain';

import {
  abortSignal,
  alarmSignal,
  approveSignal,
  gateGradingSettled,
  pauseSignal,
  resumeSignal,
  statusQuery,
  type JudgedWindowStats,
  type GateEvaluations,
  type GradeForGateInput,
  type RolloutActivities,
  type RolloutCarry,
  type RolloutEventType,
  type RolloutInput,
  type RolloutPhase,
  type RolloutResult,
  type RolloutStateChange,
  type RolloutStatus,
  type RolloutStepStatus,
  type WindowCheck,
} from '../contracts/rollout.contract.js';
import {
  FledgeEndpointAttribute,
  FledgeModelAttribute,
  FledgeModelVersionAttribute,
  FledgeRolloutIdAttribute,
  FledgeRolloutStateAttribute,
} from '../contracts/search-attributes.js';
import { planStages, type Stage } from './rollout-stages.js';

const normalRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' } as const;

// Registry writes take milliseconds; a short timeout lets a retry on another worker take over
// quickly when the worker that started one dies.
const registry = proxyActivities<RolloutActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { ...normalRetry, maximumAttempts: 10 },
});
// Hosting backends can take minutes per change (a SageMaker endpoint update); the heartbeat
// timeout, not the 30 minutes, is what notices a worker that died mid-change.
const backendTimeouts = { startToCloseTimeout: '30 minutes', heartbeatTimeout: '20 seconds' } as const;
const traffic = proxyActivities<RolloutActivities>({
  ...backendTimeouts,
  retry: { ...normalRetry, maximumAttempts: 10 },
});
// Starting or reading the gate's gradings is a database transaction and a workflow start.
const gating = proxyActivities<RolloutActivities>({
  startToCloseTimeout: '1 minute',
  retry: { ...normalRetry, maximumAttempts: 10 },
});
/** Only rollouts that replay without the GATE_WAITS_IN_WORKFLOW patch wait inside this activity. */
const legacyGating = proxyActivities<RolloutActivities>({
  startToCloseTimeout: '24 hours',
  heartbeatTimeout: '1 minute',
  retry: { ...normalRetry, maximumAttempts: 5 },
});
// Rollback is the path that must work when everything else fails: it retries until it succeeds.
const rescue = proxyActivities<RolloutActivities>({
  ...backendTimeouts,
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});
const cleanup = proxyActivities<RolloutActivities>({
  ...backendTimeouts,
  retry: { ...normalRetry, maximumAttempts: 8 },
});

/*
 * Changes to running rollouts (see `patched()`): histories recorded before each change replay
 * without it. Remove the old branch once no rollout started before the change can still run.
 */
/** The workflow writes its own registry row (`openRollout`): the API starts it before writing the row. */
const ROLLOUT_OPENS_ITSELF = 'rollout-opens-itself';
/** The gate waits for its gradings on timers, not inside an activity. */
const GATE_WAITS_IN_WORKFLOW = 'gate-waits-in-workflow';
/** A rollout that ends other than SUCCEEDED fails its run, so Temporal's list shows it. */
const OUTCOME_AS_RUN_STATUS = 'outcome-as-run-status';

/*
 * The gate polls its gradings: the wait doubles from 1 s up to a minute, so a grading of seconds
 * is noticed within about as long again, and a day-long one costs under 1,500 reads.
 */
const GATE_POLL_FIRST_MS = 1_000;
const GATE_POLL_MAX_MS = 60_000;

const outcomeFailureTypes: Partial<Record<RolloutState, string>> = {
  REJECTED: 'RolloutRejected',
  ROLLED_BACK: 'RolloutRolledBack',
  ABORTED: 'RolloutAborted',
  FAILED: 'RolloutFailed',
};

const MAX_LAST_CHECKS = 10;
const MAX_HISTORY = 50;
const DEFAULT_MAX_HISTORY_EVENTS = 10_000;

const nowIso = () => new Date().toISOString();

function messageOf(error: unknown): string {
  let cause: unknown = error;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  return cause instanceof Error ? cause.message : String(cause);
}

/** The stats an event keeps: the backend's numbers without the latency bins, and the judge's counts. */
function judgedStats(stats: VariantWindowStats, judged: VariantJudged): JudgedWindowStats {
  const { latency: _bins, ...numbers } = stats;
  return { ...numbers, ...judged };
}

const noTraffic = (variant: string): VariantWindowStats => ({
  variant,
  requests: 0,
  errors: 0,
  p50Ms: 0,
  p95Ms: 0,
  p99Ms: 0,
  maxMs: 0,
});

/**
 * Drives one rollout: GATING → SHADOW → CANARY steps → (approval) → PROMOTING → SUCCEEDED, or
 * ROLLING_BACK on a breach, an alarm or an abort. Bakes are durable timers that wake every check
 * interval to evaluate live SLOs; every traffic change is keyed by its step, every decision recorded.
 */
export async function rolloutWorkflow(input: RolloutInput): Promise<RolloutResult> {
  const result = await new RolloutRun(input).execute();
  if (result.state === 'SUCCEEDED' || !patched(OUTCOME_AS_RUN_STATUS)) return result;
  // A rollout that did not promote fails its run: Temporal's list, its ExecutionStatus filter and
  // its failure metrics show it as what it is, not as "Completed". The result rides along as the
  // failure's details; the registry row remains the record clients read.
  throw ApplicationFailure.create({
    type: outcomeFailureTypes[result.state] ?? 'RolloutFailed',
    message: `${result.state}: ${result.reason ?? 'no reason recorded'}`,
    nonRetryable: true,
    details: [result],
  });
}

class RolloutRun {
  private readonly stages: Stage[];
  private readonly candidateName: string;
  private readonly baselineName: string | null;
  private state: RolloutState;
  private stage: number;
  private appliedKey: string | null;
  /** Observed bake time of the current step: only checked, passing, unpaused intervals count. */
  private bakedMs: number;
  /** Unpaused workflow time in the current step, downtime included: bounds the wait for samples. */
  private stepMs: number;
  /** Failing windows in a row; a non-hard failure rolls back at the policy's failureThreshold. */
  private failureStreak: FailureStreak;
  private paused: boolean;
  private approvedBy: string | null;
  private awaitingApproval = false;
  private cause: RollbackCause | null;
  private seq: number;
  private weights: DesiredVariant[];
  private lastChecks: WindowCheck[];
  private history: RolloutStateChange[];
  private gate: GateResult | null;
  private reason: string | null;
  private runs: number;
  private step: RolloutStepStatus | null = null;
  /** Signals are handled synchronously and recorded by the main flow at its next safe point. */
  private inbox: Record<string, unknown>[] = [];
  private cleanupError: string | null = null;
  /** Set once the baseline is gone from the endpoint: from then on there is nothing to roll back to. */
  private committed = false;
  /** The stage a continued run resumes: its state was entered and its traffic applied by the previous run. */
  private readonly resumedStage: number;

  constructor(private readonly input: RolloutInput) {
    const carry = input.carry;
    this.state = carry?.state ?? 'PENDING';
    this.stage = carry?.stage ?? 0;
    this.appliedKey = carry?.appliedKey ?? null;
    this.bakedMs = carry?.bakedMs ?? 0;
    this.stepMs = carry?.stepMs ?? carry?.bakedMs ?? 0;
    this.failureStreak = carry?.failureStreak ?? noFailureStreak;
    this.paused = carry?.paused ?? false;
    this.approvedBy = carry?.approvedBy ?? null;
    this.cause = carry?.cause ?? null;
    this.seq = carry?.seq ?? 0;
    this.weights = carry?.weights ?? [];
    this.lastChecks = carry?.lastChecks ?? [];
    this.history = carry?.history ?? [];
    this.gate = carry?.gate ?? null;
    this.reason = carry?.reason ?? null;
    this.runs = carry?.runs ?? 1;
    this.candidateName = variantName(input.candidate);
    this.baselineName = input.baseline ? variantName(input.baseline) : null;
    this.stages = planStages(input);
    this.resumedStage = carry ? carry.stage : -1;
    if (this.stages[this.stage]) this.step = this.stepStatus(this.stages[this.stage]);
    this.installHandlers();
  }

  async execute(): Promise<RolloutResult> {
    if (!this.input.carry) {
      if (patched(ROLLOUT_OPENS_ITSELF)) await this.open();
      const invalid = this.validatePlans();
      this.upsertAttributes();
      await this.record('rollout.started', {
        candidate: this.input.candidate,
        baseline: this.input.baseline,
        policy: this.input.policy,
        initiatedBy: this.input.initiatedBy,
        stages: this.stages.map((s) => s.key),
      });
      if (invalid) return this.finish('FAILED', invalid);
      const gated = await this.runGate();
      if (gated) return gated;
    }
    try {
      for (; this.stage < this.stages.length && !this.cause; this.stage++) {
        await this.holdWhilePaused();
        if (this.cause) break;
        await this.runStage(this.stages[this.stage]);
      }
    } catch (error) {
      if (!(error instanceof ActivityFailure) || this.committed) throw error;
      this.cause ??= { kind: 'error', message: messageOf(error) };
    }
    if (this.cause && !this.committed) return this.rollBack(this.cause);
    return this.result();
  }

  // ── gate ────────────────────────────────────────────────────────────────────────────────────

  /**
   * The rollout's registry row, unless the API wrote it already. Without a row nothing can be
   * recorded, so a refusal (another rollout of the endpoint is active) ends the run at once.
   */
  private async open(): Promise<void> {
    const { rolloutId, endpoint, candidate, baseline, policy, initiatedBy, initiatedById, requestId } = this.input;
    try {
      await registry.openRollout({
        rolloutId,
        endpoint,
        candidate,
        baseline,
        policy,
        initiatedBy,
        initiatedById,
        requestId,
      });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      throw ApplicationFailure.create({
        type: 'RolloutNotOpened',
        message: `rollout ${rolloutId} could not be recorded: ${messageOf(error)}`,
        nonRetryable: true,
      });
    }
  }

  /** Returns a result when the rollout ends at the gate (no traffic was ever touched). */
  private async runGate(): Promise<RolloutResult | undefined> {
    await this.enter('GATING', null);
    const { policy, candidate, baseline, rolloutId } = this.input;
    let gate: GateResult;
    let evaluations: Record<string, unknown> = {};
    try {
      if (policy.gate.datasetVersionId === null) {
        gate = evaluateGate(policy.gate, null, null);
      } else {
        const request = { rolloutId, datasetVersionId: policy.gate.datasetVersionId, candidate, baseline };
        const waitsInWorkflow = patched(GATE_WAITS_IN_WORKFLOW);
        const result = waitsInWorkflow ? await this.awaitGateGrading(request) : await this.gradeInActivity(request);
        if (!result) {
          // The abort is recorded with the outcome (runs from before the patch ended without it).
          if (waitsInWorkflow) await this.flushInbox();
          return this.stopBeforeTraffic();
        }
        // A baseline that could not be graded only drops the relative rules.
        const baselineGraded = result.baseline?.status === 'succeeded' ? result.baseline : null;
        gate = evaluateGate(policy.gate, result.candidate?.metrics ?? null, baselineGraded?.metrics ?? null);
        evaluations = {
          candidate: result.candidate && {
            evaluationId: result.candidate.evaluationId,
            status: result.candidate.status,
          },
          baseline: baselineGraded && { evaluationId: baselineGraded.evaluationId, status: baselineGraded.status },
        };
        if (result.candidate?.status === 'failed') {
          gate = { ...gate, summary: `${gate.summary} (grading failed: ${result.candidate.error ?? 'unknown'})` };
        }
      }
    } catch (error) {
      if (!(error instanceof ActivityFailure) || isCancellation(error)) throw error;
      return this.finish('FAILED', `gate could not be evaluated: ${messageOf(error)}`);
    }
    this.gate = gate;
    await this.record('gate.evaluated', { gate, ...evaluations });
    await this.flushInbox();
    if (this.isAborting()) return this.stopBeforeTraffic();
    if (!gate.passed) return this.finish('REJECTED', gate.summary);
    return undefined;
  }

  /**
   * Starts (or joins) the gradings, then waits for them here, on durable timers between short
   * reads, rather than in an activity: gradings run on the same workers, so a gate holding a slot
   * while it waits could starve them. Polling, not a signal from the grading: a grading is shared
   * (the API's `evaluate`, other rollouts, runs from older deployments all join the same
   * `grading:<version>:<dataset>` workflow) and cannot know every rollout waiting on it, while its
   * evaluation row is the one place every outcome lands. Null when an abort arrived meanwhile; it
   * interrupts the timer at once.
   */
  private async awaitGateGrading(request: GradeForGateInput): Promise<GateEvaluations | null> {
    if (this.isAborting()) return null;
    let grading = await gating.startGateGrading(request);
    for (
      let waitMs = GATE_POLL_FIRST_MS;
      !gateGradingSettled(grading);
      waitMs = Math.min(waitMs * 2, GATE_POLL_MAX_MS)
    ) {
      if (await condition(() => this.isAborting(), waitMs)) return null;
      grading = await gating.readGateGrading({
        candidate: grading.candidate!.evaluationId,
        baseline: grading.baseline?.evaluationId ?? null,
      });
    }
    return this.isAborting() ? null : grading;
  }

  /** The gate before GATE_WAITS_IN_WORKFLOW: one activity grades and waits. */
  private async gradeInActivity(request: GradeForGateInput): Promise<GateEvaluations | null> {
    const scope = new CancellationScope();
    const graded = scope.run(() => legacyGating.gradeForGate(request));
    graded.catch(() => undefined);
    const aborted = await Promise.race([graded.then(() => false), condition(() => this.isAborting())]);
    if (aborted) {
      scope.cancel();
      return null;
    }
    return graded;
  }

  private isAborting(): boolean {
    return this.cause?.kind === 'abort';
  }

  private stopBeforeTraffic(): Promise<RolloutResult> {
    const cause = this.cause!;
    return this.finish('ABORTED', describeRollbackCause(cause));
  }

  // ── stages ──────────────────────────────────────────────────────────────────────────────────

  private async runStage(stage: Stage): Promise<void> {
    const { policy, candidate, baseline } = this.input;
    this.step = this.stepStatus(stage);
    switch (stage.kind) {
      case 'shadow':
        await this.enterStage('SHADOW', null);
        await this.applyStep(stage.key, { phase: 'shadow', sampleRate: policy.shadow.sampleRate });
        await this.bake('shadow', stage.key, policy.shadow.durationSeconds);
        return;
      case 'canary': {
        const { weight, bakeSeconds } = policy.canary.steps[stage.step - 1];
        await this.enterStage('CANARY', `canary step ${stage.step} of ${policy.canary.steps.length}: ${weight}%`);
        await this.applyStep(stage.key, { phase: 'canary', weight });
        await this.bake('canary', stage.key, bakeSeconds);
        return;
      }
      case 'approval':
        await this.awaitApproval();
        return;
      case 'promoting':
        await this.enterStage('PROMOTING', null);
        await this.applyStep(stage.key, { phase: 'promoting' });
        // A first deploy has nothing to fall back to, so it does not bake.
        if (baseline) await this.bake('promoting', stage.key, policy.promote.bakeSeconds);
        return;
      case 'final': {
        if (baseline) await this.applyStep(stage.key, { phase: 'final' });
        // The point of no return: registry writes after it retry until they succeed.
        this.committed = true;
        const { rolloutId, endpoint } = this.input;
        await rescue.finalizePromotion({ rolloutId, endpoint, candidate, baseline });
        await this.record('step.completed', { stepKey: stage.key, decision: 'promoted', candidate, baseline }, rescue);
        await this.finish('SUCCEEDED', `${this.candidateName} serves 100% of ${endpoint.name}`, rescue);
        return;
      }
    }
  }

  private async applyStep(stepKey: string, phase: TrafficPhase): Promise<void> {
    if (this.appliedKey === stepKey) return;
    const variants = planTraffic(phase, this.input.candidate, this.input.baseline);
    const { alreadyApplied } = await traffic.applyTraffic({
      rolloutId: this.input.rolloutId,
      stepKey,
      endpoint: this.input.endpoint,
      variants,
    });
    this.weights = variants;
    this.appliedKey = stepKey;
    this.bakedMs = 0;
    this.stepMs = 0;
    this.failureStreak = noFailureStreak;
    this.syncStepClock();
    await this.record('traffic.applied', { stepKey, variants, alreadyApplied });
  }

  /**
   * Serves the current step until `bakeSeconds` of it were observed: the SLOs are checked every
   * interval, and each check that passes adds the wait before it (one interval, or what remained
   * of the bake) — never the wall time, so downtime (a worker down, timers firing late), pauses,
   * interrupted waits and failing or inconclusive windows do not count. A hard failure, or
   * `failureThreshold` failing windows in a row, sets the rollback cause. While windows stay
   * inconclusive the step waits for samples, up to `bakeSeconds + maxSampleWaitSeconds` of
   * unpaused time, then fails.
   */
  private async bake(phase: 'shadow' | 'canary' | 'promoting', stepKey: string, bakeSeconds: number): Promise<void> {
    if (bakeSeconds <= 0) return;
    const { checkIntervalSeconds, maxSampleWaitSeconds } = this.input.policy;
    const intervalMs = checkIntervalSeconds * 1000;
    const bakeMs = bakeSeconds * 1000;
    const deadlineMs = bakeMs + maxSampleWaitSeconds * 1000;
    let waitingForSamples = false;
    for (;;) {
      // A rollback cause acts before anything else is written.
      if (this.cause) return;
      await this.flushInbox();
      if (this.cause) return;
      await this.continueAsNewIfLarge();
      const paused = this.paused;
      const start = Date.now();
      const remainingMs = bakeMs - this.bakedMs;
      const waitMs = paused || remainingMs <= 0 ? intervalMs : Math.min(intervalMs, remainingMs);
      const interrupted = await condition(() => this.cause !== null || this.paused !== paused, waitMs);
      const evaluation = interrupted ? null : await this.check(phase, stepKey, { waitMs, paused, bakeSeconds });
      if (!paused) this.stepMs += Date.now() - start;
      if (interrupted) continue;
      if (!evaluation) return;
      if (shouldRollBack(this.input.policy.slo, evaluation, this.failureStreak)) {
        this.cause ??= { kind: 'slo', phase, summary: evaluation.summary };
        return;
      }
      if (evaluation.verdict === 'pass' && this.bakedMs >= bakeMs && !paused && !this.paused) {
        await this.record('step.completed', {
          stepKey,
          decision: 'advance',
          observedSeconds: this.bakedMs / 1000,
          evidence: evaluation,
        });
        return;
      }
      if (evaluation.verdict !== 'inconclusive' || this.stepMs < bakeMs) continue;
      if (this.stepMs >= deadlineMs) {
        this.cause ??= { kind: 'insufficient-samples', phase, summary: evaluation.summary };
        return;
      }
      if (!waitingForSamples) {
        waitingForSamples = true;
        await this.record('step.completed', {
          stepKey,
          decision: 'wait-for-samples',
          maxSampleWaitSeconds,
          observedSeconds: this.bakedMs / 1000,
          evidence: evaluation,
        });
      }
    }
  }

  /** Holds the last step's traffic until an approve signal, still checking its SLOs every interval. */
  private async awaitApproval(): Promise<void> {
    const previous = this.stages[this.stage - 1];
    const phase = previous?.kind === 'shadow' ? 'shadow' : 'canary';
    this.awaitingApproval = true;
    this.reason = 'awaiting approval';
    await this.persistState(registry);
    const intervalMs = this.input.policy.checkIntervalSeconds * 1000;
    while (this.approvedBy === null) {
      if (this.cause) break;
      await this.flushInbox();
      if (this.cause) break;
      await this.continueAsNewIfLarge();
      const woken = await condition(() => this.cause !== null || this.approvedBy !== null, intervalMs);
      if (woken) continue;
      const evaluation = await this.check(phase, previous?.key ?? 'approval');
      if (evaluation && shouldRollBack(this.input.policy.slo, evaluation, this.failureStreak)) {
        this.cause ??= { kind: 'slo', phase, summary: evaluation.summary };
      }
    }
    this.awaitingApproval = false;
    if (this.cause) return;
    await this.flushInbox();
    await this.record('step.completed', { stepKey: 'approval', decision: 'approved', by: this.approvedBy });
  }

  private async holdWhilePaused(): Promise<void> {
    if (!this.paused) return;
    await this.flushInbox();
    await condition(() => !this.paused || this.cause !== null);
    await this.flushInbox();
  }

  /**
   * Reads both variants' stats of one window (one call, so the same window) and judges it; a
   * passing, unpaused bake interval is credited to the bake. Null when a rollback cause arrived
   * meanwhile (it takes precedence).
   */
  private async check(
    phase: 'shadow' | 'canary' | 'promoting',
    stepKey: string,
    interval?: { waitMs: number; paused: boolean; bakeSeconds: number },
  ): Promise<SloEvaluation | null> {
    const { policy, endpoint } = this.input;
    const stats = await registry.readWindowStats({
      endpoint,
      variants: this.weights.map((v) => v.name),
      windowSeconds: policy.slo.windowSeconds,
    });
    if (this.cause) return null;
    const candidate = stats.find((s) => s.variant === this.candidateName) ?? noTraffic(this.candidateName);
    const baseline =
      this.baselineName === null
        ? null
        : (stats.find((s) => s.variant === this.baselineName) ?? noTraffic(this.baselineName));
    const evaluation =
      phase === 'shadow'
        ? evaluateShadowWindow(policy.shadow, policy.slo, candidate, baseline)
        : evaluateCanaryWindow(policy.slo, candidate, baseline);
    this.failureStreak = nextFailureStreak(this.failureStreak, evaluation, Date.now(), policy.slo.windowSeconds);
    // The wait before this check ran its full course unpaused, and the window passed: observed.
    if (interval && !interval.paused && evaluation.verdict === 'pass') {
      this.bakedMs += interval.waitMs;
      this.syncStepClock();
    }
    const window: WindowCheck = {
      at: nowIso(),
      phase,
      stepKey,
      ...evaluation,
      candidate: judgedStats(candidate, evaluation.candidate),
      baseline: baseline && evaluation.baseline ? judgedStats(baseline, evaluation.baseline) : null,
      consecutiveFailures: this.failureStreak.count,
      failureThreshold: policy.slo.failureThreshold,
      observedSeconds: this.bakedMs / 1000,
      bakeSeconds: interval?.bakeSeconds ?? 0,
    };
    this.lastChecks = [...this.lastChecks, window].slice(-MAX_LAST_CHECKS);
    await this.record('slo.window', { ...window, paused: this.paused });
    return evaluation;
  }

  // ── rollback ────────────────────────────────────────────────────────────────────────────────

  /** Traffic back to the baseline first; then the candidate is removed; then the evidence is written. */
  private async rollBack(cause: RollbackCause): Promise<RolloutResult> {
    const { rolloutId, endpoint, candidate, baseline } = this.input;
    const why = describeRollbackCause(cause);
    // Stopped before the first traffic change (an abort right after the gate): nothing to restore.
    if (!trafficBearingStates.includes(this.state))
      return this.finish(cause.kind === 'abort' ? 'ABORTED' : 'FAILED', why);
    this.transition('ROLLING_BACK', why);
    this.step = { ...this.phaseStep('rollback', 'rollback'), weight: 0 };
    const restored = planTraffic({ phase: 'rollback' }, candidate, baseline);
    try {
      const { alreadyApplied } = await rescue.applyTraffic({
        rolloutId,
        stepKey: 'rollback',
        endpoint,
        variants: restored,
      });
      this.weights = restored;
      await this.persistState(rescue);
      await this.record('traffic.applied', { stepKey: 'rollback', variants: restored, alreadyApplied }, rescue);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      await this.persistState(rescue);
      return this.finish('FAILED', `rollback could not restore traffic (${why}): ${messageOf(error)}`, rescue);
    }

    const remaining = planTraffic({ phase: 'baseline' }, candidate, baseline);
    try {
      await cleanup.cleanupCandidate({ rolloutId, stepKey: 'cleanup', endpoint, candidate, variants: remaining });
      this.weights = remaining;
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      // The baseline already serves everything; a candidate left loaded at weight 0 is harmless.
      this.cleanupError = messageOf(error);
      await this.record('cleanup.failed', { stepKey: 'cleanup', error: this.cleanupError }, rescue);
    }
    await this.record(
      'rollback.completed',
      { cause, reason: why, lastChecks: this.lastChecks, variants: this.weights, cleanupError: this.cleanupError },
      rescue,
    );
    await this.flushInbox(rescue);
    return this.finish(rollbackOutcome(cause), why, rescue);
  }

  // ── state, events, signals ──────────────────────────────────────────────────────────────────

  private transition(to: RolloutState, reason: string | null): void {
    this.state = assertTransition(this.state, to);
    this.reason = reason;
    this.history = [...this.history, { at: nowIso(), state: to, reason }].slice(-MAX_HISTORY);
    this.upsertAttributes();
  }

  private async enter(to: RolloutState, reason: string | null, io = registry): Promise<void> {
    this.transition(to, reason);
    await this.persistState(io);
  }

  private async enterStage(to: RolloutState, reason: string | null): Promise<void> {
    if (this.stage === this.resumedStage && this.state === to) return;
    await this.enter(to, reason);
  }

  private async persistState(io: typeof registry, evidence?: Record<string, unknown>): Promise<void> {
    const { rolloutId } = this.input;
    const at = nowIso();
    await io.setRolloutState({ rolloutId, state: this.state, step: this.step, reason: this.reason, at, evidence });
    await this.record('state.changed', { state: this.state, reason: this.reason, step: this.step }, io);
  }

  private async finish(state: RolloutState, reason: string, io = registry): Promise<RolloutResult> {
    this.transition(state, reason);
    const evidence = {
      gate: this.gate,
      cause: this.cause,
      lastChecks: this.lastChecks,
      cleanupError: this.cleanupError,
    };
    await this.persistState(io, evidence);
    await this.record('rollout.finished', { state, reason, variants: this.weights, ...evidence }, io);
    return this.result();
  }

  private result(): RolloutResult {
    if (!isTerminalRolloutState(this.state)) {
      throw ApplicationFailure.nonRetryable(`rollout ended in non-terminal state ${this.state}`);
    }
    return {
      rolloutId: this.input.rolloutId,
      state: this.state,
      reason: this.reason,
      cause: this.cause,
      gate: this.gate,
      variants: this.weights,
      cleanupError: this.cleanupError,
    };
  }

  private async record(type: RolloutEventType, detail: Record<string, unknown>, io = registry): Promise<void> {
    const seq = ++this.seq;
    await io.recordEvent({ rolloutId: this.input.rolloutId, seq, type, at: nowIso(), detail });
  }

  private async flushInbox(io = registry): Promise<void> {
    while (this.inbox.length) {
      const detail = this.inbox.shift()!;
      await this.record('signal.received', detail, io);
    }
  }

  private installHandlers(): void {
    const at = () => nowIso();
    setHandler(alarmSignal, (alarm) => {
      const acted = trafficBearingStates.includes(this.state) && this.cause === null && !this.committed;
      if (acted) this.cause = { kind: 'alarm', source: alarm.source, name: alarm.name, alarmId: alarm.alarmId };
      this.inbox.push({
        signal: 'alarm',
        ...alarm,
        at: at(),
        state: this.state,
        action: acted
          ? 'rollback'
          : this.cause
            ? 'already stopping'
            : this.committed
              ? 'ignored: the promotion is already final'
              : 'ignored: the candidate serves no traffic',
      });
    });
    setHandler(abortSignal, ({ by, reason }) => {
      const acted =
        !isTerminalRolloutState(this.state) && this.state !== 'ROLLING_BACK' && this.cause === null && !this.committed;
      if (acted) this.cause = { kind: 'abort', by, reason };
      this.inbox.push({
        signal: 'abort',
        by,
        reason,
        at: at(),
        state: this.state,
        action: acted ? 'abort' : 'ignored',
      });
    });
    setHandler(pauseSignal, (request) => {
      this.paused = true;
      this.inbox.push({ signal: 'pause', by: request?.by ?? null, at: at(), state: this.state });
    });
    setHandler(resumeSignal, (request) => {
      this.paused = false;
      this.inbox.push({ signal: 'resume', by: request?.by ?? null, at: at(), state: this.state });
    });
    setHandler(approveSignal, ({ by }) => {
      this.approvedBy ??= by;
      this.inbox.push({ signal: 'approve', by, at: at(), state: this.state, awaitingApproval: this.awaitingApproval });
    });
    setHandler(statusQuery, (): RolloutStatus => ({
      rolloutId: this.input.rolloutId,
      state: this.state,
      step: this.step,
      weights: this.weights,
      paused: this.paused,
      awaitingApproval: this.awaitingApproval,
      approvedBy: this.approvedBy,
      lastChecks: this.lastChecks,
      reason: this.reason,
      cause: this.cause,
      gate: this.gate,
      history: this.history,
    }));
  }

  private upsertAttributes(): void {
    const { endpoint, candidate } = this.input;
    upsertSearchAttributes([
      { key: FledgeEndpointAttribute, value: endpoint.name },
      { key: FledgeModelAttribute, value: candidate.modelName },
      { key: FledgeModelVersionAttribute, value: candidate.version },
      { key: FledgeRolloutStateAttribute, value: this.state },
      { key: FledgeRolloutIdAttribute, value: this.input.rolloutId },
    ]);
  }

  private async continueAsNewIfLarge(): Promise<void> {
    const info = workflowInfo();
    const limit = this.input.options?.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
    if (!info.continueAsNewSuggested && info.historyLength < limit) return;
    await this.flushInbox();
    await this.record('rollout.continued', { run: this.runs + 1, historyLength: info.historyLength });
    const carry: RolloutCarry = {
      state: this.state,
      stage: this.stage,
      appliedKey: this.appliedKey,
      bakedMs: this.bakedMs,
      stepMs: this.stepMs,
      failureStreak: this.failureStreak,
      paused: this.paused,
      approvedBy: this.approvedBy,
      cause: this.cause,
      seq: this.seq,
      weights: this.weights,
      lastChecks: this.lastChecks,
      history: this.history,
      gate: this.gate,
      reason: this.reason,
      runs: this.runs + 1,
    };
    await continueAsNew<typeof rolloutWorkflow>({ ...this.input, carry });
  }

  // ── plans and steps ─────────────────────────────────────────────────────────────────────────

  /** Every plan this rollout may apply must be valid before anything starts; returns the problem. */
  private validatePlans(): string | null {
    const { candidate, baseline, policy } = this.input;
    const phases: TrafficPhase[] = [
      { phase: 'shadow', sampleRate: policy.shadow.sampleRate },
      ...policy.canary.steps.map((s) => ({ phase: 'canary' as const, weight: s.weight })),
      { phase: 'promoting' },
      { phase: 'final' },
      { phase: 'rollback' },
      { phase: 'baseline' },
    ];
    try {
      for (const phase of phases) validateVariants(planTraffic(phase, candidate, baseline));
      return null;
    } catch (error) {
      return `invalid rollout: ${messageOf(error)}`;
    }
  }

  private stepStatus(stage: Stage): RolloutStepStatus {
    const { policy } = this.input;
    switch (stage.kind) {
      case 'shadow':
        return { ...this.phaseStep('shadow', stage.key), weight: null, bakeSeconds: policy.shadow.durationSeconds };
      case 'canary': {
        const { weight, bakeSeconds } = policy.canary.steps[stage.step - 1];
        return { ...this.phaseStep('canary', stage.key), canaryStep: stage.step, weight, bakeSeconds };
      }
      case 'approval':
        return { ...this.phaseStep('approval', stage.key), weight: this.step?.weight ?? null };
      case 'promoting':
        return {
          ...this.phaseStep('promoting', stage.key),
          weight: 100,
          bakeSeconds: this.input.baseline ? policy.promote.bakeSeconds : 0,
        };
      case 'final':
        return { ...this.phaseStep('final', stage.key), weight: 100 };
    }
  }

  private phaseStep(phase: RolloutPhase, key: string): RolloutStepStatus {
    return {
      key,
      phase,
      ordinal: this.stage + 1,
      canaryStep: null,
      canarySteps: this.input.policy.canary.steps.length,
      weight: null,
      bakeSeconds: 0,
      bakedSeconds: Math.floor(this.bakedMs / 1000),
    };
  }

  private syncStepClock(): void {
    if (this.step) this.step = { ...this.step, bakedSeconds: Math.floor(this.bakedMs / 1000) };
  }
}
