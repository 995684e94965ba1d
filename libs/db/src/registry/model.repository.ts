import {
  type ModelAliasRecord,
  type ModelRecord,
  type ModelVersionRecord,
  type Modality,
  type ModelTask,
} from '@fledge/domain';

import { type ModelVersion, type Prisma } from '../generated/prisma/client.js';
import { type DbClient } from './db-client.js';
import { nextModelVersion } from '../version-allocator.js';
import { decodeCursor, encodeCursor, type Page, type PageResult } from './cursor.js';
import { toModelRecord, toModelVersionRecord } from './registry.mapper.js';

export interface ModelFilter {
  nameContains?: string;
  task?: ModelTask;
  modality?: Modality;
}

export const modelCursor = (m: ModelRecord) => encodeCursor([m.name]);

export class ModelRepository {
  async create(
    db: DbClient,
    data: { name: string; task: ModelTask; modality: Modality; owner: string; description: string },
  ): Promise<ModelRecord> {
    return toModelRecord(await db.model.create({ data }));
  }

  async findByName(db: DbClient, name: string): Promise<ModelRecord | null> {
    const row = await db.model.findUnique({ where: { name } });
    return row ? toModelRecord(row) : null;
  }

  async findByIds(db: DbClient, ids: readonly string[]): Promise<ModelRecord[]> {
    const rows = await db.model.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toModelRecord);
  }

  /** Keyset page ordered by name: two statements (page + count) whatever the page size. */
  async list(db: DbClient, filter: ModelFilter, page: Page): Promise<PageResult<ModelRecord>> {
    const where: Prisma.ModelWhereInput = {
      ...(filter.nameContains ? { name: { contains: filter.nameContains, mode: 'insensitive' } } : {}),
      ...(filter.task ? { task: filter.task } : {}),
      ...(filter.modality ? { modality: filter.modality } : {}),
    };
    const after = page.after ? String(decodeCursor(page.after, 1)[0]) : null;
    const [rows, totalCount] = await Promise.all([
      db.model.findMany({
        where: after ? { AND: [where, { name: { gt: after } }] } : where,
        orderBy: { name: 'asc' },
        take: page.first + 1,
      }),
      db.model.count({ where }),
    ]);
    return { rows: rows.map(toModelRecord), totalCount };
  }
}

export const modelVersionCursor = (v: ModelVersionRecord) => encodeCursor([v.version]);

export class ModelVersionRepository {
  async create(
    db: DbClient,
    data: Omit<ModelVersionRecord, 'id' | 'createdAt' | 'status' | 'format'>,
  ): Promise<ModelVersionRecord> {
    const row = await db.modelVersion.create({
      data: {
        modelId: data.modelId,
        version: data.version,
        artifactUri: data.artifactUri,
        sha256: data.sha256,
        sizeBytes: BigInt(data.sizeBytes),
        signature: data.signature as unknown as Prisma.InputJsonValue,
        prediction: (data.prediction ?? undefined) as unknown as Prisma.InputJsonValue | undefined,
        trainingDatasetVersionId: data.trainingDatasetVersionId,
        metadata: data.metadata as Prisma.InputJsonValue,
        description: data.description,
        createdBy: data.createdBy,
      },
    });
    return toModelVersionRecord(row);
  }

  /** Next consecutive version; call inside the transaction that inserts it (locks the model row). */
  allocateVersion(tx: DbClient, modelId: string): Promise<number> {
    return nextModelVersion(tx as never, modelId);
  }

  async find(db: DbClient, modelId: string, version: number): Promise<ModelVersionRecord | null> {
    const row = await db.modelVersion.findUnique({ where: { modelId_version: { modelId, version } } });
    return row ? toModelVersionRecord(row) : null;
  }

  async findByIds(db: DbClient, ids: readonly string[]): Promise<ModelVersionRecord[]> {
    const rows = await db.modelVersion.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toModelVersionRecord);
  }

  /** Newest first. */
  async listByModel(db: DbClient, modelId: string, page: Page): Promise<PageResult<ModelVersionRecord>> {
    const before = page.after ? Number(decodeCursor(page.after, 1)[0]) : null;
    const where: Prisma.ModelVersionWhereInput = { modelId };
    const [rows, totalCount] = await Promise.all([
      db.modelVersion.findMany({
        where: before !== null ? { modelId, version: { lt: before } } : where,
        orderBy: { version: 'desc' },
        take: page.first + 1,
      }),
      db.modelVersion.count({ where }),
    ]);
    return { rows: rows.map(toModelVersionRecord), totalCount };
  }

  /**
   * The highest version of each model in one statement (an index-backed LATERAL lookup per model),
   * for list pages.
   */
  async latestForModels(db: DbClient, modelIds: readonly string[]): Promise<ModelVersionRecord[]> {
    if (modelIds.length === 0) return [];
    const rows = await db.$queryRaw<ModelVersion[]>`
      SELECT v.id, v.model_id AS "modelId", v.version, v.artifact_uri AS "artifactUri", v.sha256,
             v.size_bytes AS "sizeBytes", v.format::text AS format, v.signature, v.prediction,
             v.training_dataset_version_id AS "trainingDatasetVersionId", v.metadata, v.description,
             v.status::text AS status, v.created_by AS "createdBy", v.created_at AS "createdAt",
             v.updated_at AS "updatedAt"
      FROM unnest(${[...modelIds]}::uuid[]) AS m(id)
      CROSS JOIN LATERAL (
        SELECT * FROM model_versions WHERE model_id = m.id ORDER BY version DESC LIMIT 1
      ) v`;
    return rows.map(toModelVersionRecord);
  }

  async setStatus(db: DbClient, id: string, status: ModelVersionRecord['status']): Promise<ModelVersionRecord> {
    return toModelVersionRecord(await db.modelVersion.update({ where: { id }, data: { status } }));
  }
}

type AliasRow = {
  modelId: string;
  name: string;
  versionId: string;
  endpointId: string | null;
  updatedAt: Date;
  version: { version: number };
  endpoint: { name: string } | null;
};
const toAliasRecord = (r: AliasRow): ModelAliasRecord => ({
  modelId: r.modelId,
  name: r.name,
  versionId: r.versionId,
  version: r.version.version,
  endpointId: r.endpointId,
  endpoint: r.endpoint?.name ?? null,
  updatedAt: r.updatedAt,
});
const aliasInclude = { version: { select: { version: true } }, endpoint: { select: { name: true } } } as const;

export class ModelAliasRepository {
  /** Serializes moves of one alias until the transaction ends (read, decide, write). */
  async lock(tx: DbClient, modelId: string, name: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`model-alias:${modelId}:${name}`}, 0))`;
  }

  /** Points the alias at a version; `endpointId` is the endpoint that holds it from now on (null: none). */
  async upsert(
    db: DbClient,
    modelId: string,
    name: string,
    versionId: string,
    endpointId: string | null,
  ): Promise<void> {
    await db.modelAlias.upsert({
      where: { modelId_name: { modelId, name } },
      create: { modelId, name, versionId, endpointId },
      update: { versionId, endpointId },
    });
  }

  async find(db: DbClient, modelId: string, name: string): Promise<ModelAliasRecord | null> {
    const row = await db.modelAlias.findUnique({ where: { modelId_name: { modelId, name } }, include: aliasInclude });
    return row ? toAliasRecord(row) : null;
  }

  async listForModels(db: DbClient, modelIds: readonly string[]): Promise<ModelAliasRecord[]> {
    const rows = await db.modelAlias.findMany({
      where: { modelId: { in: [...modelIds] } },
      include: aliasInclude,
      orderBy: { name: 'asc' },
    });
    return rows.map(toAliasRecord);
  }

  async listForVersions(db: DbClient, versionIds: readonly string[]): Promise<ModelAliasRecord[]> {
    const rows = await db.modelAlias.findMany({
      where: { versionId: { in: [...versionIds] } },
      include: aliasInclude,
      orderBy: { name: 'asc' },
    });
    return rows.map(toAliasRecord);
  }
}
