import { type Prisma } from '../generated/prisma/client.js';
import { type DbClient } from './db-client.js';
import { decodeCursor, encodeCursor, type Page, type PageResult } from './cursor.js';

export interface EndpointRecord {
  id: string;
  name: string;
  backend: 'local' | 'sagemaker';
  options: Record<string, unknown>;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A variant with what it serves: the model version, its model's name and its artifact. */
export interface EndpointVariantRecord {
  endpointId: string;
  modelVersionId: string;
  modelName: string;
  version: number;
  artifactUri: string;
  sha256: string;
  role: 'primary' | 'canary' | 'shadow';
  weight: number;
  shadowSampleRate: number;
}

type EndpointRow = Prisma.EndpointGetPayload<object>;

const toEndpointRecord = (row: EndpointRow): EndpointRecord => ({
  id: row.id,
  name: row.name,
  backend: row.backend,
  options: (row.options as Record<string, unknown>) ?? {},
  description: row.description ?? '',
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const endpointCursor = (e: EndpointRecord) => encodeCursor([e.name]);

export class EndpointRepository {
  async create(
    db: DbClient,
    data: { name: string; backend: EndpointRecord['backend']; options: Record<string, unknown>; description: string },
  ): Promise<EndpointRecord> {
    return toEndpointRecord(
      await db.endpoint.create({ data: { ...data, options: data.options as Prisma.InputJsonValue } }),
    );
  }

  async findByName(db: DbClient, name: string): Promise<EndpointRecord | null> {
    const row = await db.endpoint.findUnique({ where: { name } });
    return row ? toEndpointRecord(row) : null;
  }

  async findByIds(db: DbClient, ids: readonly string[]): Promise<EndpointRecord[]> {
    return (await db.endpoint.findMany({ where: { id: { in: [...ids] } } })).map(toEndpointRecord);
  }

  async list(db: DbClient, page: Page): Promise<PageResult<EndpointRecord>> {
    const after = page.after ? String(decodeCursor(page.after, 1)[0]) : null;
    const [rows, totalCount] = await Promise.all([
      db.endpoint.findMany({
        where: after ? { name: { gt: after } } : {},
        orderBy: { name: 'asc' },
        take: page.first + 1,
      }),
      db.endpoint.count(),
    ]);
    return { rows: rows.map(toEndpointRecord), totalCount };
  }

  /** Variants of several endpoints with their model versions, in one statement. */
  async variantsFor(db: DbClient, endpointIds: readonly string[]): Promise<EndpointVariantRecord[]> {
    const rows = await db.endpointVariant.findMany({
      where: { endpointId: { in: [...endpointIds] } },
      include: {
        modelVersion: { select: { version: true, artifactUri: true, sha256: true, model: { select: { name: true } } } },
      },
      orderBy: [{ endpointId: 'asc' }, { createdAt: 'asc' }],
    });
    return rows.map((r) => ({
      endpointId: r.endpointId,
      modelVersionId: r.modelVersionId,
      modelName: r.modelVersion.model.name,
      version: r.modelVersion.version,
      artifactUri: r.modelVersion.artifactUri,
      sha256: r.modelVersion.sha256,
      role: r.role,
      weight: r.weight,
      shadowSampleRate: r.shadowSampleRate,
    }));
  }
}
