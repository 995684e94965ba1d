import { type DbClient } from './db-client.js';

export interface EvaluationSummary {
  id: string;
  modelVersionId: string;
  datasetVersionId: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  metrics: Record<string, unknown> | null;
  rowsDone: number;
  rowsTotal: number | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

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
    return rows.map((r) => ({
      id: r.id,
      modelVersionId: r.modelVersionId,
      datasetVersionId: r.datasetVersionId,
      status: r.status,
      metrics: (r.metrics as Record<string, unknown> | null) ?? null,
      rowsDone: r.rowsDone,
      rowsTotal: r.rowsTotal,
      error: r.error,
      createdAt: r.createdAt,
      finishedAt: r.finishedAt,
    }));
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
