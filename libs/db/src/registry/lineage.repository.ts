import { type EvaluationRecord } from '@fledge/domain';

import { type DbClient } from './db-client.js';
import { toEvaluationRecord } from './evaluation.repository.js';

/** A version's evaluation as lineage shows it: the whole record. */
export type EvaluationSummary = EvaluationRecord;

export interface Placement {
  modelVersionId: string;
  endpoint: string;
  role: 'primary' | 'canary' | 'shadow';
  weight: number;
}

/** What a model version is connected to: its evaluations and the endpoints serving it. */
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
}
