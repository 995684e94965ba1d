import { PassThrough, Readable } from 'node:stream';

import { type CliStreams } from '../../src/cli-context.js';

export interface MemoryStreams extends CliStreams {
  out(): string;
  err(): string;
}

/** In-memory stdout/stderr (not terminals) and a piped stdin holding `input`. */
export function memoryStreams(input = ''): MemoryStreams {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  return {
    stdout,
    stderr,
    stdin: Readable.from(input === '' ? [] : [Buffer.from(input)]),
    out: () => out,
    err: () => err,
  };
}
