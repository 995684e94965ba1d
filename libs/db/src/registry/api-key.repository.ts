import { type ApiKeyRecord, type AuditEntry, type Role } from '@fledge/domain';

import { type Prisma } from '../generated/prisma/client.js';
import { type DbClient } from './db-client.js';
import { decodeCursor, encodeCursor, type Page, type PageResult } from './cursor.js';
import { toApiKeyRecord } from './registry.mapper.js';

export class ApiKeyRepository {
  async create(
    db: DbClient,
    data: { name: string; lookupId: string; secretHash: string; role: Role; createdBy: string | null },
  ): Promise<ApiKeyRecord> {
    const row = await db.apiKey.create({
      data: {
        name: data.name,
        prefix: data.lookupId,
        secretHash: data.secretHash,
        role: data.role,
        createdBy: data.createdBy,
      },
    });
    return toApiKeyRecord(row);
  }

  async findByLookupId(db: DbClient, lookupId: string): Promise<ApiKeyRecord | null> {
    const row = await db.apiKey.findUnique({ where: { prefix: lookupId } });
    return row ? toApiKeyRecord(row) : null;
  }

  async findById(db: DbClient, id: string): Promise<ApiKeyRecord | null> {
    const row = await db.apiKey.findUnique({ where: { id } });
    return row ? toApiKeyRecord(row) : null;
  }

  async list(db: DbClient): Promise<ApiKeyRecord[]> {
    return (await db.apiKey.findMany({ orderBy: { createdAt: 'asc' } })).map(toApiKeyRecord);
  }

  async revoke(db: DbClient, id: string, at: Date): Promise<ApiKeyRecord> {
    return toApiKeyRecord(await db.apiKey.update({ where: { id }, data: { revokedAt: at } }));
  }

  async touch(db: DbClient, id: string, at: Date): Promise<void> {
    await db.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
  }
}

export interface AuditEventRecord {
  id: string;
  /** The acting key; null when Fledge itself acted. */
  actorId: string | null;
  actorName: string;
  action: string;
  subjectType: string;
  subjectId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  at: Date;
}

export interface AuditFilter {
  subjectType?: string;
  subjectId?: string;
  actorId?: string;
  actorName?: string;
  action?: string;
}

export const auditCursor = (e: AuditEventRecord) => encodeCursor([e.id]);

export class AuditRepository {
  async record(db: DbClient, entry: AuditEntry): Promise<void> {
    const actor = typeof entry.actor === 'string' ? { apiKeyId: null, name: entry.actor } : entry.actor;
    await db.auditEvent.create({
      data: {
        actorId: actor.apiKeyId,
        actorName: actor.name,
        action: entry.action,
        subjectType: entry.subjectType,
        subjectId: entry.subjectId,
        before: toJson(entry.before),
        after: toJson(entry.after),
        requestId: entry.requestId ?? null,
      },
    });
  }

  /** Newest first; ids are UUIDv7, so they sort by time. */
  async list(db: DbClient, filter: AuditFilter, page: Page): Promise<PageResult<AuditEventRecord>> {
    const where: Prisma.AuditEventWhereInput = { ...filter };
    const before = page.after ? String(decodeCursor(page.after, 1)[0]) : null;
    const [rows, totalCount] = await Promise.all([
      db.auditEvent.findMany({
        where: before ? { AND: [where, { id: { lt: before } }] } : where,
        orderBy: { id: 'desc' },
        take: page.first + 1,
      }),
      db.auditEvent.count({ where }),
    ]);
    return {
      rows: rows.map((r) => ({
        id: r.id,
        actorId: r.actorId,
        actorName: r.actorName,
        action: r.action,
        subjectType: r.subjectType,
        subjectId: r.subjectId,
        before: r.before,
        after: r.after,
        requestId: r.requestId,
        at: r.at,
      })),
      totalCount,
    };
  }
}

/** Dates and bigints become JSON-safe values; undefined becomes SQL NULL. */
function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)),
  ) as Prisma.InputJsonValue;
}
