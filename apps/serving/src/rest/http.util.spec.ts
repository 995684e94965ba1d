import { type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

import { describe, expect, it } from '@jest/globals';

import { readBody } from './http.util.js';

/** A request whose body arrives in `chunkSize` pieces (a real IncomingMessage is such a stream). */
function request(body: Buffer, chunkSize: number, headers: Record<string, string> = {}): IncomingMessage {
  const chunks: Buffer[] = [];
  for (let at = 0; at < body.length; at += chunkSize) chunks.push(body.subarray(at, at + chunkSize));
  return Object.assign(Readable.from(chunks), { headers }) as unknown as IncomingMessage;
}

/** Deterministic bytes (no randomness to seed). */
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff));

describe(readBody.name, () => {
  const limits = { maxBytes: 8 << 20, timeoutMs: 10_000 };

  it.each([
    ['declared (read into place as it arrives)', 3_000, true],
    ['declared above 1 MiB (laid out once complete)', (2 << 20) + 13, true],
    ['chunked (no length)', 3_000, false],
  ])('reads a body %s: bytes intact, in a buffer of its own, binary data 8-byte aligned', async (_, size, declare) => {
    const body = bytes(size);
    for (const alignAt of [0, 5, 13]) {
      const headers: Record<string, string> = declare ? { 'content-length': String(size) } : {};
      const out = await readBody(request(body, 64 * 1024 + 3, headers), { ...limits, alignAt });
      expect(out.equals(body)).toBe(true);
      expect((out.byteOffset + alignAt) % 8).toBe(0);
      // Its own buffer: it can be transferred to another thread whole.
      expect(out.buffer.byteLength).toBe(out.byteOffset + size);
    }
  });

  it('refuses a body over the limit, declared or not, with PAYLOAD_TOO_LARGE', async () => {
    const body = bytes(5_000);
    const small = { maxBytes: 4_096, timeoutMs: 10_000 };
    await expect(readBody(request(body, 1_000, { 'content-length': '5000' }), small)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      reason: 'BODY_TOO_LARGE',
    });
    await expect(readBody(request(body, 1_000), small)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
});
