import { Inject, Injectable } from '@nestjs/common';
import { unknownLabels } from '@fledge/datasets';
import { AuditRepository, EvaluationRepository, type PrismaClient } from '@fledge/db';
import {
  compareMetrics,
  predictionClasses,
  predictionOf,
  type EvaluationRecord,
  type MetricsComparison,
  type ModelRecord,
  type ModelVersionRecord,
} from '@fledge/domain';
import { FledgeError, invalidArgument, notFound } from '@fledge/errors';
import { gradingWorkflowId } from '@fledge/workflows';

import { DB, GRADING_LAUNCHER } from '../api.tokens.js';
import { type CallContext } from '../auth/auth.decorators.js';
import { assertRole } from '../auth/role.js';
import { inTransaction } from '../common/transaction.js';
import { DatasetService } from '../dataset/dataset.service.js';
import { ModelService } from '../model/model.service.js';
import { type GradingLauncher } from './grading.launcher.js';
import { type EvaluateInput } from './evaluation.types.js';

const MAX_LISTED_LABELS = 10;

@Injectable()
export class EvaluationService {
  constructor(
    @Inject(DB) private readonly db: PrismaClient,
    @Inject(EvaluationRepository) private readonly evaluations: EvaluationRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(ModelService) private readonly models: ModelService,
    @Inject(DatasetService) private readonly datasets: DatasetService,
    @Inject(GRADING_LAUNCHER) private readonly launcher: GradingLauncher,
  ) {}

  /**
   * Grades a model version on a dataset version. One evaluation per pair: a succeeded one is
   * returned as is, a pending or running one is joined; only a failed one (or none) leads to a new
   * evaluation. The model's classes and the dataset's labels are checked here, before any work.
   */
  async evaluate(call: CallContext, input: EvaluateInput): Promise<EvaluationRecord> {
    assertRole(call.actor, 'scientist', 'evaluate');
    const model = await this.models.requireModel(input.model);
    const version = await this.models.requireVersion(input.model, input.version);
    const dataset = await this.datasets.requireVersion(input.dataset, input.datasetVersion);
    checkLabels(model, version, dataset.labels, dataset.labelColumn);

    const workflowId = gradingWorkflowId(version.id, dataset.id);
    const { evaluation, created } = await inTransaction(this.db, async (tx) => {
      const found = await this.evaluations.findOrCreate(tx, {
        modelVersionId: version.id,
        datasetVersionId: dataset.id,
        createdBy: call.actor.name,
        workflowId,
        rowsTotal: dataset.rowCount,
      });
      if (!found.created) return found;
      const row = found.evaluation;
      await this.audit.record(tx, {
        actor: call.actor,
        action: 'evaluation.create',
        subjectType: 'evaluation',
        subjectId: row.id,
        after: { model: model.name, version: version.version, dataset: input.dataset, datasetVersion: dataset.version },
        requestId: call.requestId,
      });
      return { evaluation: row, created: true };
    });
    // Also for a pending one found: its creator may have died before starting the workflow.
    if (created || evaluation.status === 'pending') {
      await this.launcher.start(
        { evaluationId: evaluation.id, modelVersionId: version.id, datasetVersionId: dataset.id },
        {
          modelName: model.name,
          version: version.version,
          datasetName: input.dataset,
          datasetVersion: dataset.version,
        },
      );
    }
    return evaluation;
  }

  async requireEvaluation(id: string): Promise<EvaluationRecord> {
    const found = UUID.test(id) ? await this.evaluations.findById(this.db, id) : null;
    if (!found) throw notFound(`evaluation ${id} does not exist`, { reason: 'EVALUATION_NOT_FOUND' });
    return found;
  }

  async compare(aId: string, bId: string): Promise<MetricsComparison & { a: EvaluationRecord; b: EvaluationRecord }> {
    const [a, b] = await Promise.all([this.requireEvaluation(aId), this.requireEvaluation(bId)]);
    for (const e of [a, b]) {
      if (e.status !== 'succeeded' || !e.metrics) {
        throw new FledgeError('FAILED_PRECONDITION', `evaluation ${e.id} is ${e.status}: only succeeded ones compare`, {
          reason: 'EVALUATION_NOT_SUCCEEDED',
        });
      }
    }
    try {
      return { a, b, ...compareMetrics(a.metrics!, b.metrics!) };
    } catch (error) {
      throw invalidArgument((error as Error).message, { reason: 'EVALUATIONS_INCOMPARABLE' });
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkLabels(
  model: ModelRecord,
  version: ModelVersionRecord,
  datasetLabels: readonly string[] | null,
  labelColumn: string | null,
): void {
  if (!labelColumn) {
    throw invalidArgument('the dataset version has no label column to grade against', { reason: 'DATASET_UNLABELLED' });
  }
  if (model.task !== 'classification') return;
  const classes = predictionClasses(predictionOf({ ...version, task: model.task }));
  const unknown = unknownLabels(datasetLabels ?? [], classes);
  if (unknown.length > 0) {
    const listed = unknown.slice(0, MAX_LISTED_LABELS).join(', ') + (unknown.length > MAX_LISTED_LABELS ? ', ...' : '');
    throw invalidArgument(
      `the dataset's labels ${listed} name none of the model's classes (${classes.slice(0, MAX_LISTED_LABELS).join(', ')}${classes.length > MAX_LISTED_LABELS ? ', ...' : ''})`,
      {
        reason: 'LABEL_SET_MISMATCH',
        details: { unknownLabels: unknown.slice(0, 100), modelClasses: classes.slice(0, 100) },
      },
    );
  }
}
