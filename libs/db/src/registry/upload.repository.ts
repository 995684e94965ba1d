import { FledgeError } from '@fledge/errors';

import { type Upload, type UploadKind, type UploadStatus } from '../generated/prisma/client.js';
import { type DbClient } from './db-client.js';

export interface UploadRecord {
  id: string;
  kind: UploadKind;
  status: UploadStatus;
  filename: string | null;
  uri: string | null;
  sha256: string | null;
  sizeBytes: number | null;
  maxBytes: number;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
}

const toUploadRecord = (row: Upload): UploadRecord => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  filename: row.filename,
  uri: row.uri,
  sha256: row.sha256,
  sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
  maxBytes: Number(row.maxBytes),
  createdBy: row.createdBy,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
});

/** Uploads move pending → complete (bytes stored) → consumed (registered), each step exactly once. */
export class UploadRepository {
  async create(
    db: DbClient,
    data: { kind: UploadKind; filename: string | null; maxBytes: number; createdBy: string; expiresAt: Date },
  ): Promise<UploadRecord> {
    const row = await db.upload.create({ data: { ...data, maxBytes: BigInt(data.maxBytes) } });
    return toUploadRecord(row);
  }

  async find(db: DbClient, id: string): Promise<UploadRecord | null> {
    const row = await db.upload.findUnique({ where: { id } });
    return row ? toUploadRecord(row) : null;
  }

  async complete(db: DbClient, id: string, data: { uri: string; sha256: string; sizeBytes: number }): Promise<void> {
    const { count } = await db.upload.updateMany({
      where: { id, status: 'pending' },
      data: {
        status: 'complete',
        uri: data.uri,
        sha256: data.sha256,
        sizeBytes: BigInt(data.sizeBytes),
        completedAt: new Date(),
      },
    });
    if (count !== 1)
      throw new FledgeError('CONFLICT', `upload ${id} was already completed`, { reason: 'UPLOAD_NOT_PENDING' });
  }

  async delete(db: DbClient, id: string): Promise<void> {
    await db.upload.deleteMany({ where: { id } });
  }

  async consume(db: DbClient, id: string): Promise<void> {
    const { count } = await db.upload.updateMany({ where: { id, status: 'complete' }, data: { status: 'consumed' } });
    if (count !== 1)
      throw new FledgeError('CONFLICT', `upload ${id} was already registered`, { reason: 'UPLOAD_CONSUMED' });
  }
}
