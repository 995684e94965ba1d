import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

import { type CompressionOption } from './dataset.types.js';
import { DatasetErrorReason, datasetError } from './dataset.errors.js';

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const GUNZIP_CHUNK = 64 * 1024;

export interface DecodeOptions {
  readonly compression: CompressionOption;
  /** Sees every raw (still compressed) chunk, in order: for hashing and byte counts. */
  readonly onRawChunk?: (chunk: Buffer) => void;
  /** Told the compression actually used, before the first decoded chunk. */
  readonly onCompression?: (compression: 'none' | 'gzip') => void;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (ArrayBuffer.isView(chunk)) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), 'utf8');
}

/** By shape, not `instanceof`: errors made by Node's internals may come from another realm (Jest's vm). */
function isZlibError(error: unknown): error is { code: string; message: string } {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code.startsWith('Z_') && typeof message === 'string';
}

/**
 * The decompressed bytes of a dataset stream. Errors of the source (an integrity check of the
 * artifact store, a network failure) pass through unchanged; zlib's become
 * DATASET_DECODE_FAILED with zlib's message. Stopping early destroys the source.
 */
export async function* decompressedChunks(
  source: AsyncIterable<unknown>,
  options: DecodeOptions,
): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  const tap = options.onRawChunk;
  const head: Buffer[] = [];
  let compression = options.compression;
  let finished = false;
  try {
    if (compression === 'auto') {
      let headBytes = 0;
      while (headBytes < 2) {
        const next = await iterator.next();
        if (next.done) {
          finished = true;
          break;
        }
        const chunk = toBuffer(next.value);
        tap?.(chunk);
        head.push(chunk);
        headBytes += chunk.length;
      }
      const start = head.length === 1 ? head[0] : Buffer.concat(head);
      compression = start.length >= 2 && start[0] === GZIP_MAGIC_0 && start[1] === GZIP_MAGIC_1 ? 'gzip' : 'none';
    }
    options.onCompression?.(compression);

    async function* raw(): AsyncGenerator<Buffer> {
      yield* head;
      while (!finished) {
        const next = await iterator.next();
        if (next.done) {
          finished = true;
          break;
        }
        const chunk = toBuffer(next.value);
        tap?.(chunk);
        yield chunk;
      }
    }

    if (compression === 'none') {
      yield* raw();
      return;
    }
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
    // The callback only keeps a failed pipeline from becoming an unhandled error: the failure
    // reaches us through the iteration of `gunzip`, which pipeline destroys with it.
    pipeline(Readable.from(raw(), { objectMode: false }), gunzip, () => {});
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (error) {
      if (isZlibError(error)) {
        throw datasetError(`the gzip stream cannot be decoded: ${error.message}`, DatasetErrorReason.DECODE_FAILED, {
          zlibCode: error.code,
        });
      }
      throw error;
    }
  } finally {
    if (!finished) await iterator.return?.();
  }
}
