import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  EndpointRepository,
  EvaluationRepository,
  inTransaction,
  ModelAliasService,
  openRollout,
  RolloutRepository,
  writeVariants,
  type PrismaClient,
} from '@fledge/db';
import {
  defaultRolloutPolicy,
  isPredictionSpec,
  predictionOf,
  watchedCandidate,
  type DesiredVariant,
  type EvaluationRecord,
  type ModelSignature,
  type PredictionSpec,
  type SloPolicy,
  type VariantWindowStats,
  type VersionRef,
} from '@fledge/domain';
import { FledgeError, notFound } from '@fledge/errors';
import { type ApplyContext, type DesiredEndpoint, type HostingBackend, type WatchedVariant } from '@fledge/hosting';
import {
  GRADING_WORKFLOW_TYPE,
  gateGradingSettled,
  gradingStartOptions,
  gradingWorkflowId,
  rolloutWorkflowId,
  type ApplyTrafficInput,
  type ApplyTrafficResult,
  type CleanupCandidateInput,
  type GateEvaluation,
  type GateEvaluations,
  type GradeForGateInput,
  type ReadGateGradingInput,
  type RolloutActivities,
} from '@fledge/workflows';

import { asActivityFailure, isBusinessFailure } from './activity-failure.js';

export interface RolloutDeps {
  db: PrismaClient;
  /** Hosting backends by endpoint backend kind; an endpoint whose backend is missing cannot be changed. */
  hosting: Partial<Record<'local' | 'sagemaker', HostingBackend>>;
  /** Starts or joins grading workflows for the offline gate. */
  temporal: () => Promise<Client>;
  taskQueue: string;
  /**
   * How often a slow backend change heartbeats, and how often a gate waiting inside `gradeForGate`
   * (rollouts started before the gate waited in the workflow) reads its gradings. Default 5 s.
   */
  heartbeatMs?: number;
}

/** Who the registry records as having moved an alias at the end of a rollout. */
const ROLLOUT_ACTOR = 'fledge-rollout';

const finished = (e: EvaluationRecord) => e.status === 'succeeded' || e.status === 'failed';

/** A baseline that cannot be graded (bad input) only drops the relative rules; a transient error is retried. */
const ungradable = (error: unknown): null => {
  if (isBusinessFailure(error)) return null;
  throw error;
};

/**
 * Activities of the rollout workflow (RolloutActivities in the workflow contracts). Every one is
 * idempotent: traffic changes are keyed by (rollout, step), events by their sequence number, and
 * the hosting backends apply desired states declaratively.
 */
export function createRolloutActivities(deps: RolloutDeps): RolloutActivities {
  const endpoints = new EndpointRepository();
  const rollouts = new RolloutRepository();
  const evaluations = new EvaluationRepository();
  const aliases = new ModelAliasService();

  async function hostingFor(
    endpointId: string,
  ): Promise<{ name: string; backend: HostingBackend; options: Record<string, unknown> }> {
    const [endpoint] = await endpoints.findByIds(deps.db, [endpointId]);
    if (!endpoint) throw notFound(`endpoint ${endpointId} does not exist`, { reason: 'ENDPOINT_NOT_FOUND' });
    const backend = deps.hosting[endpoint.backend];
    if (!backend) {
      throw new FledgeError('FAILED_PRECONDITION', `this worker has no ${endpoint.backend} hosting backend`, {
        reason: 'BACKEND_UNAVAILABLE',
      });
    }
    return { name: endpoint.name, backend, options: endpoint.options };
  }

  /** The hosting backend's view of the desired variants: the registry adds each one's artifact. */
  /**
   * The backend-neutral desired state of an endpoint: each variant's artifact and weight, and what
   * it predicts (its prediction spec), so serving compares a shadow with the primary on the outputs
   * grading uses, within the rollout policy's tolerance for regression values.
   */
  async function desiredEndpoint(
    name: string,
    options: Record<string, unknown>,
    variants: DesiredVariant[],
    agreementTolerance: number,
  ): Promise<DesiredEndpoint> {
    const versions = await deps.db.modelVersion.findMany({
      where: { id: { in: variants.map((v) => v.modelVersionId) } },
      include: { model: { select: { name: true, task: true } } },
    });
    const byId = new Map(versions.map((v) => [v.id, v]));
    const batching = (options.batching ?? undefined) as DesiredEndpoint['variants'][number]['batching'];
    return {
      name,
      variants: variants.map((v) => {
        const version = byId.get(v.modelVersionId);
        if (!version)
          throw notFound(`model version ${v.modelVersionId} does not exist`, { reason: 'MODEL_VERSION_NOT_FOUND' });
        return {
          variantName: v.name,
          modelVersionId: v.modelVersionId,
          modelName: version.model.name,
          version: version.version,
          artifactUri: version.artifactUri,
          sha256: version.sha256,
          role: v.role,
          weight: v.weight,
          shadowSampleRate: v.shadowSampleRate,
          ...(batching ? { batching } : {}),
          ...predictionFields(version, v.role === 'shadow' ? agreementTolerance : undefined),
        };
      }),
    };
  }

  /**
   * Makes the endpoint serve `variants` once per (rollout, step key): the backend first (it is
   * declarative, so a retry after a partial failure is harmless), then the registry's variants and
   * the applied key in one transaction.
   */
  async function applyStep(
    rolloutId: string,
    stepKey: string,
    endpointId: string,
    variants: DesiredVariant[],
  ): Promise<ApplyTrafficResult> {
    if (await rollouts.appliedStep(deps.db, rolloutId, stepKey)) return { alreadyApplied: true };
    const { name, backend, options } = await hostingFor(endpointId);
    const rollout = await rollouts.findById(deps.db, rolloutId);
    const shadowPolicy = rollout?.policy.shadow as { regressionTolerance?: number } | undefined;
    const tolerance = shadowPolicy?.regressionTolerance ?? defaultRolloutPolicy.shadow.regressionTolerance;
    const desired = {
      ...(await desiredEndpoint(name, options, variants, tolerance)),
      watch: await watchOf(rolloutId, variants),
    };
    await withHeartbeat(stepKey, (context) => backend.applyEndpoint(desired, context));
    await inTransaction(deps.db, async (tx) => {
      await writeVariants(tx, endpointId, variants);
      await rollouts.recordAppliedStep(tx, rolloutId, stepKey, variants);
    });
    return { alreadyApplied: false };
  }

  /** The candidate the backend's own alarms watch at this step, with the rollout's SLO limits. */
  async function watchOf(rolloutId: string, variants: DesiredVariant[]): Promise<WatchedVariant | null> {
    const rollout = await rollouts.findById(deps.db, rolloutId);
    const watched = rollout && watchedCandidate(variants, rollout.candidateVersionId);
    if (!watched) return null;
    const slo = (rollout.policy.slo ?? {}) as Partial<SloPolicy>;
    return {
      variantName: watched.name,
      rolloutId,
      maxP99LatencyMs: slo.maxP99LatencyMs ?? null,
      maxErrorRate: slo.maxErrorRate ?? defaultRolloutPolicy.slo.maxErrorRate,
    };
  }

  /**
   * Runs a backend change that may take minutes (a SageMaker endpoint update), heartbeating while it
   * runs so the workflow's heartbeat timeout, not the 30-minute one, notices a dead worker; the
   * activity's cancellation reaches the backend's waits.
   */
  async function withHeartbeat<T>(stepKey: string, run: (context: ApplyContext) => Promise<T>): Promise<T> {
    const activity = Context.current();
    let last: Record<string, unknown> = { stepKey };
    activity.heartbeat(last);
    const timer = setInterval(() => activity.heartbeat(last), deps.heartbeatMs ?? 5000);
    try {
      return await run({
        signal: activity.cancellationSignal,
        onProgress: (progress) => {
          last = { stepKey, ...progress };
          activity.heartbeat(last);
        },
      });
    } finally {
      clearInterval(timer);
    }
  }

  function gateEvaluation(evaluation: EvaluationRecord): GateEvaluation {
    const { id: evaluationId, status } = evaluation;
    if (status === 'succeeded') return { evaluationId, status, metrics: evaluation.metrics };
    if (status === 'failed')
      return { evaluationId, status, metrics: null, error: evaluation.error ?? 'the grading failed' };
    return { evaluationId, status, metrics: null };
  }

  /** Reuses the pair's evaluation or creates one, and starts (or joins) its grading unless it has finished. */
  async function startGrading(
    version: VersionRef,
    datasetVersionId: string,
    createdBy: string,
  ): Promise<GateEvaluation> {
    const dataset = await deps.db.datasetVersion.findUnique({
      where: { id: datasetVersionId },
      include: { dataset: { select: { name: true } } },
    });
    if (!dataset)
      throw notFound(`dataset version ${datasetVersionId} does not exist`, { reason: 'DATASET_VERSION_NOT_FOUND' });
    const { evaluation } = await inTransaction(deps.db, (tx) =>
      evaluations.findOrCreate(tx, {
        modelVersionId: version.modelVersionId,
        datasetVersionId,
        createdBy,
        workflowId: gradingWorkflowId(version.modelVersionId, datasetVersionId),
        rowsTotal: dataset.rowCount,
      }),
    );
    if (!finished(evaluation)) {
      const client = await deps.temporal();
      await client.workflow.start(
        GRADING_WORKFLOW_TYPE,
        gradingStartOptions(
          { evaluationId: evaluation.id, modelVersionId: version.modelVersionId, datasetVersionId },
          deps.taskQueue,
          {
            modelName: version.modelName,
            version: version.version,
            datasetName: dataset.dataset.name,
            datasetVersion: dataset.version,
          },
        ),
      );
    }
    return gateEvaluation(evaluation);
  }

  async function runStatus(workflowId: string): Promise<string> {
    try {
      return (await (await deps.temporal()).workflow.getHandle(workflowId).describe()).status.name;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'NOT_FOUND';
      throw error;
    }
  }

  /** The evaluation now; unfinished with its grading workflow gone, it can never finish: failed. */
  async function readGrading(evaluationId: string): Promise<GateEvaluation> {
    const read = async () => {
      const evaluation = await evaluations.findById(deps.db, evaluationId);
      if (!evaluation) throw notFound(`evaluation ${evaluationId} does not exist`, { reason: 'EVALUATION_NOT_FOUND' });
      return evaluation;
    };
    const evaluation = await read();
    if (finished(evaluation) || !evaluation.workflowId) return gateEvaluation(evaluation);
    const status = await runStatus(evaluation.workflowId);
    if (status === 'RUNNING') return gateEvaluation(evaluation);
    // The run may have recorded its outcome between the two reads.
    const again = await read();
    if (finished(again)) return gateEvaluation(again);
    const error = `the grading workflow ${evaluation.workflowId} ended (${status}) without recording an outcome`;
    return { evaluationId, status: 'failed', metrics: null, error };
  }

  async function startGateGrading(input: GradeForGateInput): Promise<GateEvaluations> {
    const rollout = await rollouts.findById(deps.db, input.rolloutId);
    const createdBy = rollout?.createdBy ?? ROLLOUT_ACTOR;
    const candidate = await startGrading(input.candidate, input.datasetVersionId, createdBy);
    const baseline = input.baseline
      ? await startGrading(input.baseline, input.datasetVersionId, createdBy).catch(ungradable)
      : null;
    return { candidate, baseline };
  }

  async function readGateGrading(input: ReadGateGradingInput): Promise<GateEvaluations> {
    const candidate = await readGrading(input.candidate);
    const baseline = input.baseline ? await readGrading(input.baseline).catch(ungradable) : null;
    return { candidate, baseline };
  }

  return {
    openRollout: asActivityFailure(async (input) => {
      await openRollout(deps.db, {
        rolloutId: input.rolloutId,
        endpoint: input.endpoint,
        candidate: input.candidate,
        baseline: input.baseline,
        policy: input.policy as unknown as Record<string, unknown>,
        workflowId: rolloutWorkflowId(input.endpoint.name),
        createdBy: input.initiatedBy,
        createdById: input.initiatedById ?? null,
        requestId: input.requestId ?? null,
      });
    }),

    startGateGrading: asActivityFailure(startGateGrading),

    readGateGrading: asActivityFailure(readGateGrading),

    gradeForGate: asActivityFailure(async (input: GradeForGateInput): Promise<GateEvaluations> => {
      const ctx = Context.current();
      let grading = await startGateGrading(input);
      while (!gateGradingSettled(grading)) {
        ctx.heartbeat({ waitingFor: grading.candidate?.evaluationId });
        await ctx.sleep(deps.heartbeatMs ?? 5000);
        grading = await readGateGrading({
          candidate: grading.candidate!.evaluationId,
          baseline: grading.baseline?.evaluationId ?? null,
        });
      }
      return grading;
    }),

    applyTraffic: asActivityFailure((input: ApplyTrafficInput) =>
      applyStep(input.rolloutId, input.stepKey, input.endpoint.id, input.variants),
    ),

    readWindowStats: asActivityFailure(async (input): Promise<VariantWindowStats[]> => {
      const { name, backend } = await hostingFor(input.endpoint.id);
      const stats = await backend.variantStats(name, { seconds: input.windowSeconds });
      const wanted = new Set(input.variants);
      return stats
        .filter((s) => wanted.has(s.variant))
        .map((s) => ({
          variant: s.variant,
          requests: s.requests,
          errors: s.errors,
          ...(s.clientErrors !== undefined ? { clientErrors: s.clientErrors } : {}),
          ...(s.latency !== undefined ? { latency: s.latency } : {}),
          ...(s.source !== undefined ? { source: s.source } : {}),
          p50Ms: s.p50Ms,
          p95Ms: s.p95Ms,
          p99Ms: s.p99Ms,
          maxMs: s.maxMs,
          ...(s.shadowSamples !== undefined ? { shadowSamples: s.shadowSamples } : {}),
          ...(s.agreement !== undefined ? { agreement: s.agreement } : {}),
          ...(s.shadowDrops !== undefined ? { shadowDrops: s.shadowDrops } : {}),
        }));
    }),

    recordEvent: asActivityFailure(async (input) => {
      await rollouts.recordEvent(deps.db, {
        rolloutId: input.rolloutId,
        seq: input.seq,
        type: input.type,
        detail: input.detail,
        at: new Date(input.at),
      });
    }),

    setRolloutState: asActivityFailure(async (input) => {
      await rollouts.setState(deps.db, input.rolloutId, {
        state: input.state,
        step: input.step?.ordinal ?? null,
        reason: input.reason,
        at: new Date(input.at),
        ...(input.evidence ? { evidence: input.evidence } : {}),
      });
    }),

    finalizePromotion: asActivityFailure(async (input) => {
      await inTransaction(deps.db, async (tx) => {
        await tx.modelVersion.update({ where: { id: input.candidate.modelVersionId }, data: { status: 'validated' } });
        await aliases.followPromotion(tx, {
          endpoint: input.endpoint,
          candidateVersionId: input.candidate.modelVersionId,
          baselineVersionId: input.baseline?.modelVersionId ?? null,
          rolloutId: input.rolloutId,
          actor: ROLLOUT_ACTOR,
        });
      });
    }),

    cleanupCandidate: asActivityFailure(async (input: CleanupCandidateInput) => {
      await applyStep(input.rolloutId, input.stepKey, input.endpoint.id, input.variants);
    }),
  };
}

/** A version's prediction spec for the desired state; none when its outputs fit no layout (serving then compares nothing). */
function predictionFields(
  version: {
    prediction: unknown;
    signature: unknown;
    metadata: unknown;
    model: { task: 'classification' | 'regression' };
  },
  agreementTolerance: number | undefined,
): { prediction?: PredictionSpec; agreementTolerance?: number } {
  let prediction: PredictionSpec;
  try {
    prediction = predictionOf({
      prediction: isPredictionSpec(version.prediction) ? version.prediction : null,
      signature: version.signature as ModelSignature,
      metadata: (version.metadata ?? {}) as Record<string, unknown>,
      task: version.model.task,
    });
  } catch {
    return {};
  }
  return { prediction, ...(agreementTolerance !== undefined ? { agreementTolerance } : {}) };
}
