import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { FledgeError } from '@fledge/errors';

import { readDatasetRows } from './dataset-rows.reader.js';
import { type DatasetRow, type ReadDatasetOptions } from './dataset.types.js';

/** A stream of `data` cut into chunks of `chunkSize` bytes (1 = every split point is exercised). */
function source(data: string | Buffer, chunkSize = 64 * 1024): Readable {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

async function collect(input: Readable | AsyncIterable<unknown>, options: ReadDatasetOptions): Promise<DatasetRow[]> {
  const rows: DatasetRow[] = [];
  for await (const row of readDatasetRows(input, options)) rows.push(row);
  return rows;
}

async function failure(promise: Promise<unknown>): Promise<FledgeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!FledgeError.is(error)) throw new Error(`expected a FledgeError, got ${String(error)}`);
  return error;
}

const jsonl: ReadDatasetOptions = { format: 'jsonl', compression: 'none' };
const csv: ReadDatasetOptions = { format: 'csv', compression: 'none' };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fledge-datasets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readDatasetRows (JSON Lines)', () => {
  const text =
    '\uFEFF{"pixels":[0,0.5,1],"label":7}\n\n  \r\n{"text":"héllo, wörld ✓","label":"spam"}\r\n{"a":null,"label":0}';

  it('yields one row per object, skipping blank lines, with data-row numbers and file lines', async () => {
    const rows = await collect(source(text), jsonl);
    expect(rows).toEqual([
      { rowNumber: 1, line: 1, values: { pixels: [0, 0.5, 1], label: 7 } },
      { rowNumber: 2, line: 4, values: { text: 'héllo, wörld ✓', label: 'spam' } },
      { rowNumber: 3, line: 5, values: { a: null, label: 0 } },
    ]);
  });

  it('gives the same rows however the bytes are split (lines and UTF-8 characters cut across chunks)', async () => {
    const whole = await collect(source(text), jsonl);
    expect(await collect(source(text, 1), jsonl)).toEqual(whole);
    expect(await collect(source(text, 7), jsonl)).toEqual(whole);
  });

  it('reads a real file, a line much longer than a chunk included', async () => {
    const long = Array.from({ length: 50_000 }, (_, i) => i % 255);
    const file = path.join(dir, 'long.jsonl');
    await writeFile(file, `{"pixels":${JSON.stringify(long)},"label":1}\n{"pixels":[1],"label":2}\n`);
    const rows = await collect(createReadStream(file, { highWaterMark: 1024 }), jsonl);
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 2]);
    expect(rows[0].values.pixels).toEqual(long);
  });

  it('names the row and the line of a line that is not JSON, with the parser message, after yielding the rows before it', async () => {
    const seen: number[] = [];
    const error = await failure(
      (async () => {
        for await (const row of readDatasetRows(source('{"a":1}\n\n{"a":2}\n{"a":\n{"a":4}\n'), jsonl))
          seen.push(row.rowNumber);
      })(),
    );
    expect(seen).toEqual([1, 2]);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.reason).toBe('DATASET_ROW_INVALID');
    expect(error.details).toEqual({ row: 3, line: 4 });
    expect(error.message).toMatch(/^row 3 \(line 4\): not valid JSON: .*JSON/);
  });

  it('refuses a line holding JSON that is not an object', async () => {
    for (const [line, kind] of [
      ['[1,2]', 'an array'],
      ['42', 'a number'],
      ['null', 'null'],
      ['"x"', 'a string'],
    ]) {
      const error = await failure(collect(source(`{"a":1}\n${line}\n`), jsonl));
      expect(error.message).toBe(`row 2 (line 2): a JSON Lines row must be a JSON object, found ${kind}`);
    }
  });

  it('skips rows without parsing them, numbering the rest as in the whole file', async () => {
    const rows = await collect(source('{"a":1}\nnot json at all\n\n{"a":3}\n{"a":4}\n'), { ...jsonl, skipRows: 2 });
    expect(rows).toEqual([
      { rowNumber: 3, line: 4, values: { a: 3 } },
      { rowNumber: 4, line: 5, values: { a: 4 } },
    ]);
    expect(await collect(source('{"a":1}\n'), { ...jsonl, skipRows: 5 })).toEqual([]);
  });

  it('bounds memory on a file without line breaks (maxRowLength)', async () => {
    const error = await failure(collect(source(`{"a":1}\n${'x'.repeat(5000)}`, 100), { ...jsonl, maxRowLength: 1000 }));
    expect(error.message).toBe('row 2 (line 2): the line is longer than 1000 characters');
    const short = await failure(
      collect(source(`{"a":1}\n{"b":"${'x'.repeat(50)}"}\n`), { ...jsonl, maxRowLength: 20 }),
    );
    expect(short.message).toBe('row 2 (line 2): the line is longer than 20 characters');
  });

  it('refuses a negative or fractional skipRows', async () => {
    await expect(collect(source(''), { ...jsonl, skipRows: -1 })).rejects.toThrow(/skipRows must be/);
    await expect(collect(source(''), { ...jsonl, skipRows: 1.5 })).rejects.toThrow(/skipRows must be/);
  });
});

describe('readDatasetRows (CSV)', () => {
  it('reads quoted fields with commas, escaped quotes and line breaks, CRLF and LF, as strings', async () => {
    const text =
      'id,text,score\r\n' +
      '1,"hello, world",0.5\r\n' +
      '2,"she said ""hi""",-1\n' +
      '3,"two\r\nlines\nthree",\n' +
      '\n' +
      '4,,"7"';
    const expected = [
      { rowNumber: 1, line: 2, values: { id: '1', text: 'hello, world', score: '0.5' } },
      { rowNumber: 2, line: 3, values: { id: '2', text: 'she said "hi"', score: '-1' } },
      { rowNumber: 3, line: 4, values: { id: '3', text: 'two\r\nlines\nthree', score: '' } },
      { rowNumber: 4, line: 8, values: { id: '4', text: '', score: '7' } },
    ];
    expect(await collect(source(text), csv)).toEqual(expected);
    expect(await collect(source(text, 1), csv)).toEqual(expected);
    expect(await collect(source(text, 5), csv)).toEqual(expected);
  });

  it('reads a lone CR as a line break and a header after a BOM', async () => {
    expect(await collect(source('\uFEFFa,b\r1,2\r3,4\r'), csv)).toEqual([
      { rowNumber: 1, line: 2, values: { a: '1', b: '2' } },
      { rowNumber: 2, line: 3, values: { a: '3', b: '4' } },
    ]);
  });

  it('keeps a column named __proto__ as a column', async () => {
    const [row] = await collect(source('__proto__,b\nx,y\n'), csv);
    expect(Object.keys(row.values)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(row.values)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(row.values, '__proto__')?.value).toBe('x');
  });

  it('keeps a quote inside an unquoted field as a character', async () => {
    expect((await collect(source('h,w\n5\'10",x\n'), csv))[0].values).toEqual({ h: '5\'10"', w: 'x' });
  });

  it('names the row with the wrong number of fields', async () => {
    const error = await failure(collect(source('a,b,c\n1,2,3\n4,5\n'), csv));
    expect(error.reason).toBe('DATASET_ROW_INVALID');
    expect(error.message).toBe('row 2 (line 3): 2 fields, but the header has 3 columns');
    expect(error.details).toMatchObject({ row: 2, line: 3, fields: 2, columns: 3 });
  });

  it('names the row of a stray character after a closing quote and of a never-closed quote', async () => {
    const stray = await failure(collect(source('a,b\n1,2\n"x"y,3\n'), csv));
    expect(stray.message).toMatch(/^row 2 \(line 3\): unexpected character "y" after the closing quote/);
    const open = await failure(collect(source('a,b\n1,2\n3,"never\nclosed\n'), csv));
    expect(open.message).toBe('row 2 (line 3): a quoted field opened on line 3 is never closed');
  });

  it('bounds memory on a quote never closed (maxRowLength)', async () => {
    const text = `a,b\n1,2\n3,"${'never closed\n'.repeat(500)}`;
    const error = await failure(collect(source(text, 64), { ...csv, maxRowLength: 1000 }));
    expect(error.message).toBe(
      'row 2 (line 3): the row is longer than 1000 characters (is a quoted field never closed?)',
    );
  });

  it('requires a header with distinct, non-empty names', async () => {
    expect((await failure(collect(source(''), csv))).reason).toBe('DATASET_EMPTY');
    expect((await failure(collect(source('a,a\n1,2\n'), csv))).message).toMatch(/names column a twice/);
    expect((await failure(collect(source('a,,c\n1,2,3\n'), csv))).message).toMatch(/empty column name \(column 2\)/);
    expect(await collect(source('a,b\n'), csv)).toEqual([]);
  });

  it('skips rows, still counting records across quoted line breaks', async () => {
    const rows = await collect(source('t,n\n"x\ny",1\n"z",2\nw,3\n'), { ...csv, skipRows: 2 });
    expect(rows).toEqual([{ rowNumber: 3, line: 5, values: { t: 'w', n: '3' } }]);
  });
});

describe('readDatasetRows (gzip)', () => {
  const text = '{"a":1,"label":0}\n{"a":2,"label":1}\n';
  const rows = [
    { rowNumber: 1, line: 1, values: { a: 1, label: 0 } },
    { rowNumber: 2, line: 2, values: { a: 2, label: 1 } },
  ];

  it('decompresses gzip when told, and detects it (or its absence) from the magic bytes', async () => {
    const gz = gzipSync(text);
    expect(await collect(source(gz), { format: 'jsonl', compression: 'gzip' })).toEqual(rows);
    expect(await collect(source(gz, 1), { format: 'jsonl', compression: 'auto' })).toEqual(rows);
    expect(await collect(source(text, 1), { format: 'jsonl', compression: 'auto' })).toEqual(rows);
    expect(await collect(source(''), { format: 'jsonl', compression: 'auto' })).toEqual([]);
    const csvGz = gzipSync('a,label\n"1,5",x\n');
    expect(await collect(source(csvGz), { format: 'csv', compression: 'auto' })).toEqual([
      { rowNumber: 1, line: 2, values: { a: '1,5', label: 'x' } },
    ]);
  });

  it('reads a gzip file from disk', async () => {
    const file = path.join(dir, 'rows.jsonl.gz');
    await writeFile(file, gzipSync(text));
    expect(await collect(createReadStream(file), { format: 'jsonl', compression: 'auto' })).toEqual(rows);
  });

  it('fails a corrupt or truncated gzip stream with zlib’s reason', async () => {
    const gz = gzipSync(text.repeat(100));
    const corrupt = Buffer.from(gz);
    corrupt[3] = 0xff; // reserved flag bits
    const bad = await failure(collect(source(corrupt), { format: 'jsonl', compression: 'auto' }));
    expect(bad.code).toBe('INVALID_ARGUMENT');
    expect(bad.reason).toBe('DATASET_DECODE_FAILED');
    expect(bad.message).toBe('the gzip stream cannot be decoded: unknown header flags set');
    expect(bad.details).toEqual({ zlibCode: 'Z_DATA_ERROR' });

    const truncated = await failure(
      collect(source(gz.subarray(0, gz.length - 20)), { format: 'jsonl', compression: 'gzip' }),
    );
    expect(truncated.reason).toBe('DATASET_DECODE_FAILED');
    expect(truncated.message).toBe('the gzip stream cannot be decoded: unexpected end of file');

    const notGzip = await failure(collect(source(text), { format: 'jsonl', compression: 'gzip' }));
    expect(notGzip.message).toBe('the gzip stream cannot be decoded: incorrect header check');
  });

  it('passes the source’s own errors through unchanged, compressed or not', async () => {
    for (const compression of ['gzip', 'none'] as const) {
      const integrity = new FledgeError('INTEGRITY', 'sha256 mismatch');
      async function* broken() {
        yield compression === 'gzip' ? gzipSync(text).subarray(0, 20) : Buffer.from(text);
        throw integrity;
      }
      await expect(collect(broken(), { format: 'jsonl', compression })).rejects.toBe(integrity);
    }
  });

  it('destroys the source when the reader stops early', async () => {
    for (const compression of ['gzip', 'none'] as const) {
      const bytes = compression === 'gzip' ? gzipSync(text.repeat(10_000)) : Buffer.from(text.repeat(10_000));
      const stream = source(bytes, 256);
      for await (const row of readDatasetRows(stream, { format: 'jsonl', compression })) {
        if (row.rowNumber === 3) break;
      }
      expect(stream.destroyed).toBe(true);
    }
  });
});
