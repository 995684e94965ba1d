import { type EvaluationMetrics, type EvaluationRecord } from '@fledge/domain';

import { type Evaluation, type Prisma } from '../generated/prisma/client.js';
import { type DbClient } from './db-client.js';

export const toEvaluationRecord = (row: Evaluation): EvaluationRecord => ({
  id: row.id,
  modelVersionId: row.modelVersionId,
  datasetVersionId: row.datasetVersionId,
  status: row.status,
  metrics: (row.metrics as unknown as EvaluationMetrics | null) ?? null,
  rowsDone: row.rowsDone,
  rowsTotal: row.rowsTotal,
  throughput: row.throughput,
  latency: (row.latency as Record<string, unknown> | null) ?? null,
  error: row.error,
  workflowId: row.workflowId,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
  startedAt: row.startedAt,
  finishedAt: row.finishedAt,
});

const json = (value: unknown) => value as Prisma.InputJsonValue;

export class EvaluationRepository {
  /**
   * Serializes use cases on one (model version, dataset version) pair until the transaction ends,
   * so two concurrent requests cannot both create an evaluation.
   */
  async lockPair(tx: DbClient, modelVersionId: string, datasetVersionId: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`evaluation:${modelVersionId}:${datasetVersionId}`}, 0))`;
  }

  /** The newest evaluation of the pair that is running, about to run, or succeeded (failed ones are not reused). */
  async findReusable(db: DbClient, modelVersionId: string, datasetVersionId: string): Promise<EvaluationRecord | null> {
    const row = await db.evaluation.findFirst({
      where: { modelVersionId, datasetVersionId, status: { in: ['pending', 'running', 'succeeded'] } },
      orderBy: { createdAt: 'desc' },
    });
    return row ? toEvaluationRecord(row) : null;
  }

  async create(
    db: DbClient,
    data: {
      modelVersionId: string;
      datasetVersionId: string;
      createdBy: string;
      workflowId: string;
      rowsTotal: number;
    },
  ): Promise<EvaluationRecord> {
    return toEvaluationRecord(await db.evaluation.create({ data }));
  }

  /**
   * The pair's reusable evaluation, or a new pending one: call inside a transaction (it locks the
   * pair, so concurrent callers get the same row). `created` tells the caller to audit and start it.
   */
  async findOrCreate(
    tx: DbClient,
    data: Parameters<EvaluationRepository['create']>[1],
  ): Promise<{ evaluation: EvaluationRecord; created: boolean }> {
    await this.lockPair(tx, data.modelVersionId, data.datasetVersionId);
    const existing = await this.findReusable(tx, data.modelVersionId, data.datasetVersionId);
    if (existing) return { evaluation: existing, created: false };
    return { evaluation: await this.create(tx, data), created: true };
  }

  async findById(db: DbClient, id: string): Promise<EvaluationRecord | null> {
    const row = await db.evaluation.findUnique({ where: { id } });
    return row ? toEvaluationRecord(row) : null;
  }

  /** pending → running (idempotent: a retried call keeps the first start time). */
  async markRunning(db: DbClient, id: string, rowsTotal: number, now: Date): Promise<EvaluationRecord> {
    await db.evaluation.updateMany({
      where: { id, status: 'pending' },
      data: { status: 'running', startedAt: now, rowsTotal },
    });
    return toEvaluationRecord(await db.evaluation.findUniqueOrThrow({ where: { id } }));
  }

  async updateProgress(db: DbClient, id: string, rowsDone: number): Promise<void> {
    await db.evaluation.updateMany({ where: { id, status: 'running' }, data: { rowsDone } });
  }

  async complete(
    db: DbClient,
    id: string,
    result: { metrics: EvaluationMetrics; rowsDone: number; throughput: number; latency: unknown },
    now: Date,
  ): Promise<void> {
    await db.evaluation.updateMany({
      where: { id, status: { in: ['pending', 'running'] } },
      data: {
        status: 'succeeded',
        metrics: json(result.metrics),
        rowsDone: result.rowsDone,
        throughput: result.throughput,
        latency: json(result.latency),
        error: null,
        finishedAt: now,
      },
    });
  }

  async fail(db: DbClient, id: string, error: string, now: Date): Promise<void> {
    await db.evaluation.updateMany({
      where: { id, status: { in: ['pending', 'running'] } },
      data: { status: 'failed', error: error.slice(0, 4000), finishedAt: now },
    });
  }
}
