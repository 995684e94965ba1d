import { type DatasetRecord, type DatasetVersionRecord } from '@fledge/domain';

import { type Prisma } from '../generated/prisma/client.js';
import { type DbClient } from './db-client.js';
import { nextDatasetVersion } from '../version-allocator.js';
import { decodeCursor, encodeCursor, type Page, type PageResult } from './cursor.js';
import { toDatasetRecord, toDatasetVersionRecord } from './registry.mapper.js';

export const datasetCursor = (d: DatasetRecord) => encodeCursor([d.name]);
export const datasetVersionCursor = (v: DatasetVersionRecord) => encodeCursor([v.version]);

export class DatasetRepository {
  async create(db: DbClient, data: { name: string; owner: string; description: string }): Promise<DatasetRecord> {
    return toDatasetRecord(await db.dataset.create({ data }));
  }

  async findByName(db: DbClient, name: string): Promise<DatasetRecord | null> {
    const row = await db.dataset.findUnique({ where: { name } });
    return row ? toDatasetRecord(row) : null;
  }

  async findByIds(db: DbClient, ids: readonly string[]): Promise<DatasetRecord[]> {
    return (await db.dataset.findMany({ where: { id: { in: [...ids] } } })).map(toDatasetRecord);
  }

  async list(db: DbClient, page: Page): Promise<PageResult<DatasetRecord>> {
    const after = page.after ? String(decodeCursor(page.after, 1)[0]) : null;
    const [rows, totalCount] = await Promise.all([
      db.dataset.findMany({
        where: after ? { name: { gt: after } } : {},
        orderBy: { name: 'asc' },
        take: page.first + 1,
      }),
      db.dataset.count(),
    ]);
    return { rows: rows.map(toDatasetRecord), totalCount };
  }
}

export class DatasetVersionRepository {
  async create(db: DbClient, data: Omit<DatasetVersionRecord, 'id' | 'createdAt'>): Promise<DatasetVersionRecord> {
    const row = await db.datasetVersion.create({
      data: {
        ...data,
        sizeBytes: BigInt(data.sizeBytes),
        labels: data.labels,
        metadata: data.metadata as Prisma.InputJsonValue,
      },
    });
    return toDatasetVersionRecord(row);
  }

  /** Next consecutive version; call inside the transaction that inserts it (locks the dataset row). */
  allocateVersion(tx: DbClient, datasetId: string): Promise<number> {
    return nextDatasetVersion(tx as never, datasetId);
  }

  async find(db: DbClient, datasetId: string, version: number): Promise<DatasetVersionRecord | null> {
    const row = await db.datasetVersion.findUnique({ where: { datasetId_version: { datasetId, version } } });
    return row ? toDatasetVersionRecord(row) : null;
  }

  async findByIds(db: DbClient, ids: readonly string[]): Promise<DatasetVersionRecord[]> {
    return (await db.datasetVersion.findMany({ where: { id: { in: [...ids] } } })).map(toDatasetVersionRecord);
  }

  async listByDataset(db: DbClient, datasetId: string, page: Page): Promise<PageResult<DatasetVersionRecord>> {
    const before = page.after ? Number(decodeCursor(page.after, 1)[0]) : null;
    const [rows, totalCount] = await Promise.all([
      db.datasetVersion.findMany({
        where: before !== null ? { datasetId, version: { lt: before } } : { datasetId },
        orderBy: { version: 'desc' },
        take: page.first + 1,
      }),
      db.datasetVersion.count({ where: { datasetId } }),
    ]);
    return { rows: rows.map(toDatasetVersionRecord), totalCount };
  }
}
