import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

import {
  CreateUploadDocument,
  type FledgeClient,
  type UploadFieldsFragment as Upload,
  type UploadKind,
} from '@fledge/client';
import { FledgeError } from '@fledge/errors';

import { UsageError } from '../usage-error.js';

/** Receives upload progress; the CLI draws a bar with it when stderr is a terminal. */
export interface UploadProgress {
  start(totalBytes: number, filename: string): void;
  advance(bytes: number): void;
  stop(): void;
}

export interface UploadedFile {
  upload: Upload;
  sha256: string;
  sizeBytes: number;
}

async function fileSize(file: string): Promise<number> {
  try {
    const stats = await stat(file);
    if (!stats.isFile()) throw new UsageError(`${file} is not a regular file`);
    return stats.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * Creates an upload, streams the file to it (never buffering it whole) and checks that the API
 * stored exactly the bytes read here by comparing both sha256 digests.
 */
export async function uploadFile(
  client: FledgeClient,
  kind: UploadKind,
  file: string,
  progress?: UploadProgress,
): Promise<UploadedFile> {
  const sizeBytes = await fileSize(file);
  const filename = path.basename(file);
  const { createUpload: upload } = await client.request(CreateUploadDocument, { input: { kind, filename } });
  if (sizeBytes > upload.maxBytes) {
    throw new FledgeError(
      'PAYLOAD_TOO_LARGE',
      `${filename} has ${sizeBytes} bytes; the API accepts at most ${upload.maxBytes}`,
      {
        reason: 'UPLOAD_TOO_LARGE',
        details: { sizeBytes, maxBytes: upload.maxBytes },
      },
    );
  }
  const hash = createHash('sha256');
  let sent = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      hash.update(chunk);
      sent += chunk.byteLength;
      progress?.advance(chunk.byteLength);
      controller.enqueue(chunk);
    },
  });
  const source = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  progress?.start(sizeBytes, filename);
  let completed: Upload;
  try {
    completed = await client.upload(upload.url, { stream: source.pipeThrough(counter), sizeBytes });
  } finally {
    progress?.stop();
  }
  const sha256 = hash.digest('hex');
  if (sent !== sizeBytes) {
    throw new FledgeError(
      'INTEGRITY',
      `${filename} changed while it was uploaded (${sent} of ${sizeBytes} bytes read)`,
      {
        reason: 'FILE_CHANGED',
      },
    );
  }
  if (completed.sha256 !== null && completed.sha256 !== sha256) {
    throw new FledgeError(
      'INTEGRITY',
      `the API stored ${filename} with sha256 ${completed.sha256}, expected ${sha256}`,
      {
        reason: 'UPLOAD_DIGEST_MISMATCH',
        details: { expected: sha256, stored: completed.sha256 },
      },
    );
  }
  return { upload: completed, sha256, sizeBytes };
}
