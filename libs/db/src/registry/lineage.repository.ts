import { type EvaluationRecord, type ModelVersionRecord } from '@fledge/domain';

import { type DbClient } from './db-client.js';
import { toEvaluationRecord } from './evaluation.repository.js';
import { toModelVersionRecord } from './registry.mapper.js';

/** A version's evaluation as lineage shows it: the whole record. */
export type EvaluationSummary = EvaluationRecord;

export interface Placement {
  modelVersionId: string;
  endpoint: string;
  role: 'primary' | 'canary' | 'shadow';
  weight: number;
}

/**
 * What a model version is connected to (its evaluations and the endpoints serving it), and where a
 * dataset version is used (evaluations on it, versions trained on it).
 */
export class LineageRepository {
  async evaluationsForVersions(db: DbClient, versionIds: readonly string[]): Promise<EvaluationSummary[]> {
    const rows = await db.evaluation.findMany({
      where: { modelVersionId: { in: [...versionIds] } },
      orderBy: { createdAt: 'desc' },
    });
    return rows.map(toEvaluationRecord);
  }

  async placementsForVersions(db: DbClient, versionIds: readonly string[]): Promise<Placement[]> {
    const rows = await db.endpointVariant.findMany({
      where: { modelVersionId: { in: [...versionIds] } },
      include: { endpoint: { select: { name: true } } },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((r) => ({
      modelVersionId: r.modelVersionId,
      endpoint: r.endpoint.name,
      role: r.role,
      weight: r.weight,
    }));
  }

  /** Evaluations graded on a dataset version, newest first. */
  async evaluationsOnDatasetVersion(
    db: DbClient,
    datasetVersionId: string,
    limit: number,
  ): Promise<EvaluationSummary[]> {
    const rows = await db.evaluation.findMany({
      where: { datasetVersionId },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return rows.map(toEvaluationRecord);
  }

  /** Model versions trained on a dataset version, newest first. */
  async versionsTrainedOn(db: DbClient, datasetVersionId: string, limit: number): Promise<ModelVersionRecord[]> {
    const rows = await db.modelVersion.findMany({
      where: { trainingDatasetVersionId: datasetVersionId },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return rows.map(toModelVersionRecord);
  }
}
