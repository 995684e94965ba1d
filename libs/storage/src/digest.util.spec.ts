import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { describe, expect, it } from '@jest/globals';

import { FledgeError } from '@fledge/errors';

import { DigestStream } from './digest.util.js';

// sha256("hello")
const HELLO = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';

async function drain(sut: DigestStream, ...chunks: string[]) {
  const received: string[] = [];
  await pipeline(Readable.from(chunks.map((chunk) => Buffer.from(chunk))), sut, async (source) => {
    for await (const chunk of source) received.push(String(chunk));
  });
  return received.join('');
}

describe(DigestStream.name, () => {
  it('passes bytes through while hashing and counting them', async () => {
    const sut = new DigestStream();
    expect(await drain(sut, 'hel', 'lo')).toBe('hello');
    expect(sut.sha256).toBe(HELLO);
    expect(sut.sizeBytes).toBe(5);
  });

  it('accepts the expected digest', async () => {
    const sut = new DigestStream({ expectedSha256: HELLO });
    await expect(drain(sut, 'hello')).resolves.toBe('hello');
  });

  it('fails at the end, instead of ending, when the digest differs', async () => {
    const sut = new DigestStream({ expectedSha256: HELLO });
    const error = await drain(sut, 'hellO').catch((caught: unknown) => caught);
    expect(FledgeError.is(error, 'INTEGRITY')).toBe(true);
  });

  it('fails as soon as maxBytes is exceeded', async () => {
    const sut = new DigestStream({ maxBytes: 4 });
    const error = await drain(sut, 'hell', 'o').catch((caught: unknown) => caught);
    expect(FledgeError.is(error, 'PAYLOAD_TOO_LARGE')).toBe(true);
    expect(sut.sizeBytes).toBe(5);
  });
});
