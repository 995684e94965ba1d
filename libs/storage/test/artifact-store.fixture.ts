import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

import { expect } from '@jest/globals';

import { FledgeError, type ErrorCode } from '@fledge/errors';

export const MIB = 2 ** 20;

/** A stream of `sizeBytes` random bytes in 1 MiB chunks, with the digest known in advance. */
/** Pseudo-random bytes, the same for the same size and seed, so a failure reproduces. */
export function randomBody(sizeBytes: number, seed = 1): { body: Readable; sha256: string } {
  const chunks: Buffer[] = [];
  const hash = createHash('sha256');
  for (let offset = 0; offset < sizeBytes; offset += MIB) {
    const chunk = Buffer.alloc(Math.min(MIB, sizeBytes - offset));
    chunk.fill(createHash('sha512').update(`${seed}:${offset}`).digest());
    hash.update(chunk);
    chunks.push(chunk);
  }
  return { body: Readable.from(chunks, { objectMode: false }), sha256: hash.digest('hex') };
}

/** Emits `bytesBeforeFailure` bytes, then fails like a dropped client connection. */
export function failingBody(bytesBeforeFailure: number): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(Buffer.alloc(bytesBeforeFailure, 0x5a));
        return;
      }
      this.destroy(new Error('client went away'));
    },
  });
}

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function sha256OfStream(stream: Readable): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).byteLength;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}

export async function expectFledgeError(promise: Promise<unknown>, code: ErrorCode, reason?: string) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FledgeError);
  expect((error as FledgeError).code).toBe(code);
  if (reason) expect((error as FledgeError).reason).toBe(reason);
  return error as FledgeError;
}
