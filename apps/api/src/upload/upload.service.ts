import { type Readable } from 'node:stream';

import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository, UploadRepository, type PrismaClient, type UploadKind, type UploadRecord } from '@fledge/db';
import { FledgeError, notFound } from '@fledge/errors';
import { uploadKey, type ArtifactStore } from '@fledge/storage';

import { API_SETTINGS, ARTIFACT_STORE, DB } from '../api.tokens.js';
import { type CallContext } from '../auth/auth.decorators.js';
import { assertRole } from '../auth/role.js';
import { type ApiSettings } from '../api.settings.js';

export interface CompletedUpload {
  id: string;
  uri: string;
  sha256: string;
  sizeBytes: number;
}

const UPLOAD_TTL_MS = 24 * 3600_000;

/**
 * Streams files into the artifact store before they are registered. Bytes never travel inside
 * GraphQL: a client creates an upload, PUTs the raw file to its URL, then registers the upload.
 */
@Injectable()
export class UploadService {
  constructor(
    @Inject(DB) private readonly db: PrismaClient,
    @Inject(UploadRepository) private readonly uploads: UploadRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(ARTIFACT_STORE) private readonly store: ArtifactStore,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  async create(call: CallContext, kind: UploadKind, filename: string | null): Promise<UploadRecord> {
    assertRole(call.actor, 'scientist', 'createUpload');
    const upload = await this.uploads.create(this.db, {
      kind,
      filename: filename ? filename.slice(0, 255) : null,
      maxBytes: this.settings.maxUploadBytes,
      createdBy: call.actor.name,
      ownerKeyId: call.actor.apiKeyId,
      expiresAt: new Date(Date.now() + UPLOAD_TTL_MS),
    });
    await this.audit.record(this.db, {
      actor: call.actor,
      action: 'upload.create',
      subjectType: 'upload',
      subjectId: upload.id,
      after: { kind, filename: upload.filename },
      requestId: call.requestId,
    });
    return upload;
  }

  /**
   * Receives the bytes of a pending upload. The request first claims the upload with one
   * conditional UPDATE: of two concurrent PUTs exactly one streams, and the other is refused
   * (CONFLICT) having touched neither the stored bytes nor the record. Over-size bodies are refused
   * from Content-Length before a byte is read, and cut off while streaming otherwise; either way
   * nothing stays stored and the claim is given back. The record says COMPLETE only once the bytes
   * are stored.
   */
  async receive(call: CallContext, id: string, body: Readable, contentLength: number | null): Promise<UploadRecord> {
    assertRole(call.actor, 'scientist', 'upload');
    const upload = await this.requireOwn(call, id);
    if (upload.status !== 'pending') throw notPending(id, upload.status);
    const now = new Date();
    if (upload.expiresAt.getTime() <= now.getTime()) {
      throw new FledgeError('FAILED_PRECONDITION', `upload ${id} expired; create a new one`, {
        reason: 'UPLOAD_EXPIRED',
      });
    }
    if (contentLength !== null && contentLength > upload.maxBytes) {
      throw tooLarge(upload.maxBytes);
    }
    if (!(await this.uploads.claim(this.db, upload.id, now))) {
      const current = await this.uploads.find(this.db, upload.id);
      throw notPending(id, current?.status ?? 'pending');
    }
    let stored: Awaited<ReturnType<ArtifactStore['put']>>;
    try {
      stored = await this.store.put(uploadKey(upload.id), body, { maxBytes: upload.maxBytes });
    } catch (error) {
      await this.uploads.release(this.db, upload.id);
      throw error;
    }
    try {
      await this.uploads.complete(this.db, upload.id, stored);
    } catch (error) {
      // Only the claim holder gets here, so the stored object is its own to delete.
      await this.store.delete(stored.uri).catch(() => undefined);
      await this.uploads.release(this.db, upload.id);
      throw error;
    }
    return (await this.uploads.find(this.db, upload.id))!;
  }

  async requireCompleted(call: CallContext, id: string, kind: UploadKind): Promise<CompletedUpload> {
    const upload = await this.requireOwn(call, id);
    if (upload.kind !== kind) {
      throw new FledgeError('INVALID_ARGUMENT', `upload ${id} holds a ${upload.kind}, not a ${kind}`, {
        reason: 'UPLOAD_KIND_MISMATCH',
      });
    }
    if (
      upload.status === 'pending' ||
      upload.status === 'receiving' ||
      upload.uri === null ||
      upload.sha256 === null ||
      upload.sizeBytes === null
    ) {
      throw new FledgeError('FAILED_PRECONDITION', `upload ${id} has no bytes yet: PUT the file to its URL first`, {
        reason: 'UPLOAD_INCOMPLETE',
      });
    }
    if (upload.status === 'consumed') {
      throw new FledgeError('CONFLICT', `upload ${id} was already registered`, { reason: 'UPLOAD_CONSUMED' });
    }
    return { id: upload.id, uri: upload.uri, sha256: upload.sha256, sizeBytes: upload.sizeBytes };
  }

  /** Deletes a rejected upload's bytes and row, so a refused file leaves nothing behind. */
  async discard(id: string): Promise<void> {
    const upload = await this.uploads.find(this.db, id);
    if (!upload) return;
    if (upload.uri) await this.store.delete(upload.uri);
    await this.uploads.delete(this.db, id);
  }

  async find(id: string): Promise<UploadRecord | null> {
    return this.uploads.find(this.db, id);
  }

  private async requireOwn(call: CallContext, id: string): Promise<UploadRecord> {
    const upload = /^[0-9a-f-]{36}$/.test(id) ? await this.uploads.find(this.db, id) : null;
    // Uploads belong to the key that created them (by id: two keys may have had the same name).
    // Someone else's upload is reported as missing: its existence is not the caller's business.
    if (!upload || (upload.ownerKeyId !== call.actor.apiKeyId && call.actor.role !== 'admin')) {
      throw notFound(`upload ${id} does not exist`, { reason: 'UPLOAD_NOT_FOUND' });
    }
    return upload;
  }
}

function notPending(id: string, status: string): FledgeError {
  const message =
    status === 'receiving'
      ? `upload ${id} is receiving its bytes from another request`
      : `upload ${id} already has its bytes`;
  return new FledgeError('CONFLICT', message, { reason: 'UPLOAD_NOT_PENDING', details: { status } });
}

function tooLarge(maxBytes: number): FledgeError {
  return new FledgeError('PAYLOAD_TOO_LARGE', `the file exceeds the upload limit of ${maxBytes} bytes`, {
    reason: 'UPLOAD_TOO_LARGE',
    details: { maxBytes },
  });
}
