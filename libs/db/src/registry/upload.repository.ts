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
  ownerKeyId: string | null;
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
  ownerKeyId: row.ownerKeyId,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
});

/**
 * Uploads move pending → receiving (one PUT claimed it) → complete (bytes stored) → consumed
 * (registered), each step exactly once: every move is a conditional UPDATE on the current state.
 */
export class UploadRepository {
  async create(
    db: DbClient,
    data: {
      kind: UploadKind;
      filename: string | null;
      maxBytes: number;
      createdBy: string;
      ownerKeyId: string;
      expiresAt: Date;
    },
  ): Promise<UploadRecord> {
    const row = await db.upload.create({ data: { ...data, maxBytes: BigInt(data.maxBytes) } });
    return toUploadRecord(row);
  }

  async find(db: DbClient, id: string): Promise<UploadRecord | null> {
    const row = await db.upload.findUnique({ where: { id } });
    return row ? toUploadRecord(row) : null;
  }

  /**
   * Claims a pending, unexpired upload for one writer. False when another request holds it, its
   * bytes are there already, or it expired: the caller must then touch nothing.
   */
  async claim(db: DbClient, id: string, at: Date): Promise<boolean> {
    const { count } = await db.upload.updateMany({
      where: { id, status: 'pending', expiresAt: { gt: at } },
      data: { status: 'receiving', claimedAt: at },
    });
    return count === 1;
  }

  /** Gives a claim back after a failed transfer, so the client may PUT again. */
  async release(db: DbClient, id: string): Promise<void> {
    await db.upload.updateMany({ where: { id, status: 'receiving' }, data: { status: 'pending', claimedAt: null } });
  }

  async complete(db: DbClient, id: string, data: { uri: string; sha256: string; sizeBytes: number }): Promise<void> {
    const { count } = await db.upload.updateMany({
      where: { id, status: 'receiving' },
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
