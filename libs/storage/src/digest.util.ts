import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';

import { FledgeError, invalidArgument } from '@fledge/errors';

const SHA256_PATTERN = /^[a-f0-9]{64}$/;

export function assertSha256(value: unknown, field = 'sha256'): string {
  if (typeof value !== 'string' || !SHA256_PATTERN.test(value))
    throw invalidArgument(`${field} must be 64 lower-case hex characters`, {
      reason: 'SHA256_INVALID',
      details: { field },
    });
  return value;
}

export function toReadable(body: Readable | Uint8Array): Readable {
  return body instanceof Readable ? body : Readable.from([body]);
}

export interface DigestStreamOptions {
  maxBytes?: number;
  expectedSha256?: string;
  /** Builds the error for a digest mismatch (upload vs stored-object wording differ). */
  onMismatch?: (actualSha256: string) => FledgeError;
}

/**
 * Passes bytes through while hashing and counting them. Past `maxBytes` it fails at once with
 * PAYLOAD_TOO_LARGE; with an expected digest it fails at the very end, instead of ending, when
 * the digest differs, so a consumer never sees a corrupt read complete successfully.
 */
export class DigestStream extends Transform {
  readonly #hash: Hash = createHash('sha256');
  readonly #options: DigestStreamOptions;
  #sizeBytes = 0;
  #sha256: string | undefined;

  constructor(options: DigestStreamOptions = {}) {
    super();
    this.#options = options;
  }

  get sizeBytes(): number {
    return this.#sizeBytes;
  }

  /** Defined once the stream has ended. */
  get sha256(): string {
    if (this.#sha256 === undefined) throw new Error('DigestStream.sha256 read before the stream ended');
    return this.#sha256;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#sizeBytes += chunk.byteLength;
    const { maxBytes } = this.#options;
    if (maxBytes !== undefined && this.#sizeBytes > maxBytes) {
      callback(
        new FledgeError('PAYLOAD_TOO_LARGE', `Artifact exceeds the limit of ${maxBytes} bytes`, {
          reason: 'ARTIFACT_TOO_LARGE',
          details: { maxBytes },
        }),
      );
      return;
    }
    this.#hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#sha256 = this.#hash.digest('hex');
    const { expectedSha256, onMismatch } = this.#options;
    if (expectedSha256 !== undefined && expectedSha256 !== this.#sha256) {
      callback(
        onMismatch?.(this.#sha256) ??
          new FledgeError('INTEGRITY', 'sha256 mismatch', {
            details: { expected: expectedSha256, actual: this.#sha256 },
          }),
      );
      return;
    }
    callback();
  }
}
