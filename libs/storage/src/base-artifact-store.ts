import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pipeline as pipelineWithCallback } from 'node:stream';

import { FledgeError, integrityError } from '@fledge/errors';

import { uploadMismatch } from './artifact-errors.util.js';
import { type ArtifactKey } from './artifact-key.js';
import {
  type ArtifactHead,
  type ArtifactStore,
  type PutOptions,
  type PutResult,
  type ReadOptions,
} from './artifact-store.js';
import { assertSha256, DigestStream } from './digest.util.js';

/** The verification and download logic both adapters share; adapters supply raw byte IO. */
export abstract class BaseArtifactStore implements ArtifactStore {
  abstract readonly kind: 'local' | 's3';
  abstract ensureReady(): Promise<void>;
  abstract uriOf(key: ArtifactKey): string;
  /** Parses and validates a URI of this store; refuses anything else with INVALID_ARGUMENT. */
  protected abstract keyOf(uri: string): ArtifactKey;
  abstract put(key: ArtifactKey, body: Readable | Uint8Array, options?: PutOptions): Promise<PutResult>;
  /** Unverified bytes; rejects with NOT_FOUND when the artifact does not exist. */
  protected abstract openRaw(key: ArtifactKey): Promise<Readable>;
  abstract head(uri: string): Promise<ArtifactHead>;
  abstract delete(uri: string): Promise<void>;

  get(uri: string, options: ReadOptions): Promise<Readable> {
    return this.openVerified(uri, options);
  }

  private async openVerified(uri: string, options: ReadOptions): Promise<DigestStream> {
    const expected = assertSha256(options.sha256);
    const raw = await this.openRaw(this.keyOf(uri));
    const verified = new DigestStream({
      expectedSha256: expected,
      onMismatch: (actual) =>
        integrityError(`Stored artifact does not match its recorded sha256: ${uri}`, {
          reason: 'ARTIFACT_CORRUPT',
          details: { uri, expectedSha256: expected, actualSha256: actual },
        }),
    });
    // Errors reach the consumer through `verified`; closing it early releases the source.
    return pipelineWithCallback(raw, verified, () => undefined);
  }

  /** The stream every put pipes its body through: size limit, digest, expected-digest check. */
  protected uploadDigest(uri: string, options: PutOptions): DigestStream {
    const expected =
      options.expectedSha256 === undefined ? undefined : assertSha256(options.expectedSha256, 'expectedSha256');
    return new DigestStream({
      maxBytes: options.maxBytes,
      expectedSha256: expected,
      onMismatch: (actual) => uploadMismatch(uri, expected!, actual),
    });
  }

  async getBuffer(uri: string, options: ReadOptions): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.get(uri, options)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async downloadToFile(uri: string, options: ReadOptions, destPath: string): Promise<{ sizeBytes: number }> {
    const source = await this.openVerified(uri, options);
    await writeAtomically(destPath, (tempPath) =>
      pipeline(source, createWriteStream(tempPath, { flags: 'wx', flush: true })),
    );
    return { sizeBytes: source.sizeBytes };
  }

  async exists(uri: string): Promise<boolean> {
    try {
      await this.head(uri);
      return true;
    } catch (error) {
      if (FledgeError.is(error, 'NOT_FOUND')) return false;
      throw error;
    }
  }
}

/**
 * Runs `write` against a temp file beside `destPath` and renames it into place only when `write`
 * succeeds, so readers see either the old file, the complete new one, or nothing.
 */
export async function writeAtomically(destPath: string, write: (tempPath: string) => Promise<void>): Promise<void> {
  const directory = path.dirname(destPath);
  await mkdir(directory, { recursive: true });
  const tempPath = path.join(directory, `.${path.basename(destPath)}.${randomUUID()}.tmp`);
  try {
    await write(tempPath);
    await rename(tempPath, destPath);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
}
