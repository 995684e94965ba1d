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
  isPredictionSpec,
  predictionOf,
  type DesiredVariant,
  type EvaluationMetrics,
  type ModelSignature,
  type PredictionSpec,
  type VariantWindowStats,
  type VersionRef,
} from '@fledge/domain';
import { FledgeError, notFound } from '@fledge/errors';
import { type DesiredEndpoint, type HostingBackend } from '@fledge/hosting';
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
  /** How often a waiting gate heartbeats. Default 5 s. */
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
    await backend.applyEndpoint(await desiredEndpoint(name, options, variants, tolerance));
    await inTransaction(deps.db, async (tx) => {
      await writeVariants(tx, endpointId, variants);
      await rollouts.recordAppliedStep(tx, rolloutId, stepKey, variants);
    });
    return { alreadyApplied: false };
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
