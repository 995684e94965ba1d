import { Context } from '@temporalio/activity';
import { type Client } from '@temporalio/client';
import {
  AuditRepository,
  EndpointRepository,
  EvaluationRepository,
  inTransaction,
  ModelAliasRepository,
  RolloutRepository,
  writeVariants,
  type PrismaClient,
} from '@fledge/db';
import {
  defaultRolloutPolicy,
  watchedCandidate,
  type DesiredVariant,
  type EvaluationMetrics,
  type SloPolicy,
  type VariantWindowStats,
  type VersionRef,
} from '@fledge/domain';
import { FledgeError, notFound } from '@fledge/errors';
import { type ApplyContext, type DesiredEndpoint, type HostingBackend, type WatchedVariant } from '@fledge/hosting';
import {
  GRADING_WORKFLOW_TYPE,
  gradingStartOptions,
  gradingWorkflowId,
  type ApplyTrafficInput,
  type ApplyTrafficResult,
  type CleanupCandidateInput,
  type GateEvaluation,
  type GateEvaluations,
  type GradeForGateInput,
  type GradingResult,
  type RolloutActivities,
} from '@fledge/workflows';

import { asActivityFailure } from './activity-failure.js';

export interface RolloutDeps {
  db: PrismaClient;
  /** Hosting backends by endpoint backend kind; an endpoint whose backend is missing cannot be changed. */
  hosting: Partial<Record<'local' | 'sagemaker', HostingBackend>>;
  /** Starts or joins grading workflows for the offline gate. */
  temporal: () => Promise<Client>;
  taskQueue: string;
  /** How often a waiting gate (or a slow backend change) heartbeats. Default 5 s. */
  heartbeatMs?: number;
}

/** Who the registry records as having moved the `production` alias at the end of a rollout. */
const ROLLOUT_ACTOR = 'fledge-rollout';

/**
 * Activities of the rollout workflow (RolloutActivities in the workflow contracts). Every one is
 * idempotent: traffic changes are keyed by (rollout, step), events by their sequence number, and
 * the hosting backends apply desired states declaratively.
 */
export function createRolloutActivities(deps: RolloutDeps): RolloutActivities {
  const endpoints = new EndpointRepository();
  const rollouts = new RolloutRepository();
  const evaluations = new EvaluationRepository();
  const aliases = new ModelAliasRepository();
  const audit = new AuditRepository();

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
  async function desiredEndpoint(
    name: string,
    options: Record<string, unknown>,
    variants: DesiredVariant[],
  ): Promise<DesiredEndpoint> {
    const versions = await deps.db.modelVersion.findMany({
      where: { id: { in: variants.map((v) => v.modelVersionId) } },
      include: { model: { select: { name: true } } },
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
    const desired = { ...(await desiredEndpoint(name, options, variants)), watch: await watchOf(rolloutId, variants) };
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

  async function metricsOf(evaluationId: string): Promise<GateEvaluation> {
    const evaluation = await evaluations.findById(deps.db, evaluationId);
    if (!evaluation) throw notFound(`evaluation ${evaluationId} does not exist`, { reason: 'EVALUATION_NOT_FOUND' });
    return evaluation.status === 'succeeded'
      ? { evaluationId, status: 'succeeded', metrics: evaluation.metrics as EvaluationMetrics }
      : { evaluationId, status: 'failed', metrics: null, error: evaluation.error ?? 'the grading failed' };
  }

  /** Reuses the pair's evaluation, or creates one and starts (or joins) its grading, then waits for it. */
  async function graded(version: VersionRef, datasetVersionId: string, createdBy: string): Promise<GateEvaluation> {
    const dataset = await deps.db.datasetVersion.findUnique({ where: { id: datasetVersionId } });
    if (!dataset)
      throw notFound(`dataset version ${datasetVersionId} does not exist`, { reason: 'DATASET_VERSION_NOT_FOUND' });
    const workflowId = gradingWorkflowId(version.modelVersionId, datasetVersionId);
    const { evaluation } = await inTransaction(deps.db, (tx) =>
      evaluations.findOrCreate(tx, {
        modelVersionId: version.modelVersionId,
        datasetVersionId,
        createdBy,
        workflowId,
        rowsTotal: dataset.rowCount,
      }),
    );
    if (evaluation.status === 'succeeded') return metricsOf(evaluation.id);

    const client = await deps.temporal();
    await client.workflow.start(
      GRADING_WORKFLOW_TYPE,
      gradingStartOptions(
        { evaluationId: evaluation.id, modelVersionId: version.modelVersionId, datasetVersionId },
        deps.taskQueue,
      ),
    );
    const result = client.workflow.getHandle(workflowId).result() as Promise<GradingResult>;
    const heartbeatMs = deps.heartbeatMs ?? 5000;
    for (;;) {
      Context.current().heartbeat({ waitingFor: workflowId });
      const done = await Promise.race([result, new Promise<null>((resolve) => setTimeout(resolve, heartbeatMs, null))]);
      if (done) return metricsOf(done.evaluationId);
    }
  }

  return {
    gradeForGate: asActivityFailure(async (input: GradeForGateInput): Promise<GateEvaluations> => {
      const rollout = await rollouts.findById(deps.db, input.rolloutId);
      const createdBy = rollout?.createdBy ?? ROLLOUT_ACTOR;
      const candidate = await graded(input.candidate, input.datasetVersionId, createdBy);
      // A baseline that cannot be graded only drops the relative rules; it never blocks the gate.
      const baseline = input.baseline
        ? await graded(input.baseline, input.datasetVersionId, createdBy).catch(() => null)
        : null;
      return { candidate, baseline: baseline?.status === 'succeeded' ? baseline : null };
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
        const modelId = await modelIdOf(tx, input.candidate);
        const before = await aliases.find(tx, modelId, 'production');
        await aliases.upsert(tx, modelId, 'production', input.candidate.modelVersionId);
        await tx.modelVersion.update({ where: { id: input.candidate.modelVersionId }, data: { status: 'validated' } });
        await audit.record(tx, {
          actor: ROLLOUT_ACTOR,
          action: 'model_alias.set',
          subjectType: 'model',
          subjectId: modelId,
          before: before ? { alias: 'production', version: before.version } : null,
          after: {
            alias: 'production',
            version: input.candidate.version,
            rolloutId: input.rolloutId,
            endpoint: input.endpoint.name,
          },
          requestId: null,
        });
      });
    }),

    cleanupCandidate: asActivityFailure(async (input: CleanupCandidateInput) => {
      await applyStep(input.rolloutId, input.stepKey, input.endpoint.id, input.variants);
    }),
  };

  async function modelIdOf(tx: Parameters<typeof aliases.find>[0], version: VersionRef): Promise<string> {
    const row = await tx.modelVersion.findUnique({ where: { id: version.modelVersionId }, select: { modelId: true } });
    if (!row)
      throw notFound(`model version ${version.modelVersionId} does not exist`, { reason: 'MODEL_VERSION_NOT_FOUND' });
    return row.modelId;
  }
}
