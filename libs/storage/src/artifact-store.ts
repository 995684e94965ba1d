import { type Readable } from 'node:stream';

import { type ArtifactKey } from './artifact-key.js';

export interface PutOptions {
  contentType?: string;
  /** When given, a body with another digest is refused (INTEGRITY) and nothing is stored. */
  expectedSha256?: string;
  /** A larger body is refused (PAYLOAD_TOO_LARGE) and nothing is stored. */
  maxBytes?: number;
}

export interface PutResult {
  uri: string;
  sha256: string;
  sizeBytes: number;
}

/** Every read names the digest recorded for the artifact; a mismatch fails the read (INTEGRITY). */
export interface ReadOptions {
  sha256: string;
}

export interface ArtifactHead {
  uri: string;
  sizeBytes: number;
  contentType?: string;
  /** S3 only; a multipart object's ETag ends in `-<parts>`. */
  etag?: string;
  lastModified?: Date;
}

/**
 * Content store for model files and datasets. Writes are all-or-nothing; reads are verified
 * against the sha256 recorded in the registry. Missing artifacts are NOT_FOUND.
 */
export interface ArtifactStore {
  readonly kind: 'local' | 's3';
  /** Creates the root folder or the bucket when missing. */
  ensureReady(): Promise<void>;
  uriOf(key: ArtifactKey): string;
  put(key: ArtifactKey, body: Readable | Uint8Array, options?: PutOptions): Promise<PutResult>;
  /** The stream errors with INTEGRITY at its end, instead of ending, if the bytes do not match. */
  get(uri: string, options: ReadOptions): Promise<Readable>;
  getBuffer(uri: string, options: ReadOptions): Promise<Buffer>;
  /** Writes `destPath` only after the whole artifact is verified (temp file + rename). */
  downloadToFile(uri: string, options: ReadOptions, destPath: string): Promise<{ sizeBytes: number }>;
  head(uri: string): Promise<ArtifactHead>;
  exists(uri: string): Promise<boolean>;
  /** Idempotent: deleting a missing artifact is fine. */
  delete(uri: string): Promise<void>;
}
