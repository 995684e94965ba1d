import { Readable } from 'node:stream';

import { describe, expect, it } from '@jest/globals';

import { FledgeError } from '@fledge/errors';

import { type DatasetBatch } from './batch.builder.js';
import { readDatasetBatches } from './dataset-batches.reader.js';
import { type DatasetFormat } from './dataset.types.js';
import { RecordSplitter, type RecordSlice } from './record.splitter.js';
import { createRowDecoder, type RowDecoderOptions } from './row.decoder.js';
import { SliceDecoder } from './slice.decoder.js';
import { allocateTensorData, type TensorData } from './tensor.types.js';

function chunksOf(data: string, size: number): Buffer[] {
  const bytes = Buffer.from(data, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Like JSON.parse, but arrays of numbers come back as Float64Array (as serving's JSON scanner returns them). */
function parseLikeScanner(bytes: Uint8Array): unknown {
  return JSON.parse(Buffer.from(bytes).toString('utf8'), (_key, value: unknown) =>
    Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number')
      ? Float64Array.from(value)
      : value,
  );
}

interface Outcome {
  batches: { inputs: number[][]; labels: number[]; firstRow: number; lastRow: number }[];
  error?: { message: string; reason: string; details: Record<string, unknown> };
}

function plain(batch: DatasetBatch): Outcome['batches'][number] {
  return {
    inputs: Object.values(batch.inputs).map((t) => Array.from(t.data as ArrayLike<number>, Number)),
    labels: Array.from(batch.labels ?? []),
    firstRow: batch.firstRow,
    lastRow: batch.lastRow,
  };
}

function failureOf(error: unknown): Outcome['error'] {
  if (!FledgeError.is(error)) throw error;
  return { message: error.message, reason: error.reason, details: error.details };
}

interface Case {
  format: DatasetFormat;
  decoder: RowDecoderOptions;
  batchSize: number;
  skipRows?: number;
}

async function singleThreaded(data: string, c: Case): Promise<Outcome> {
  const out: Outcome = { batches: [] };
  try {
    for await (const batch of readDatasetBatches(Readable.from(chunksOf(data, 64 * 1024)), {
      format: c.format,
      compression: 'none',
      batchSize: c.batchSize,
      skipRows: c.skipRows,
      decoder: c.decoder,
    })) {
      out.batches.push(plain(batch));
    }
  } catch (error) {
    out.error = failureOf(error);
  }
  return out;
}

/** The parallel path's steps on this thread: split the bytes, decode each slice in its own buffers. */
function sliced(data: string, c: Case, chunkSize: number, parseJson = parseLikeScanner): Outcome {
  const out: Outcome = { batches: [] };
  const splitter = new RecordSplitter({
    format: c.format,
    rowsPerSlice: c.batchSize,
    skipRows: c.skipRows ?? 0,
    maxRowLength: 1 << 20,
  });
  const slices: RecordSlice[] = [];
  let deferred: unknown;
  try {
    for (const chunk of chunksOf(data, chunkSize)) splitter.push(chunk, slices);
    splitter.end(slices);
  } catch (error) {
    deferred = error;
  }
  try {
    const decoder = createRowDecoder(c.decoder);
    let slices_: SliceDecoder | undefined;
    for (const slice of slices) {
      slices_ ??= new SliceDecoder({ format: c.format, decoder, header: splitter.header, parseJson });
      const targets: TensorData[] = decoder.inputs.map((p) => allocateTensorData(p.datatype, p.elements * c.batchSize));
      const labels = c.decoder.labelColumn
        ? c.decoder.task === 'classification'
          ? new Int32Array(c.batchSize)
          : new Float64Array(c.batchSize)
        : undefined;
      const decoded = slices_.decode(slice, targets, labels);
      out.batches.push({
        inputs: decoder.inputs.map((p, i) =>
          Array.from((targets[i] as Float32Array).subarray(0, decoded.rows * p.elements), Number),
        ),
        labels: labels ? Array.from(labels.subarray(0, decoded.rows)) : [],
        firstRow: decoded.firstRow,
        lastRow: decoded.lastRow,
      });
    }
    if (deferred !== undefined) throw deferred;
  } catch (error) {
    out.error = failureOf(error);
  }
  return out;
}

/** Every chunking from one byte up gives the single-threaded reader's batches and error. */
async function expectSame(data: string, c: Case, chunkSizes = [1, 2, 3, 5, 8, 64 * 1024]): Promise<Outcome> {
  const expected = await singleThreaded(data, c);
  for (const size of chunkSizes) {
    expect({ size, ...sliced(data, c, size) }).toEqual({ size, ...expected });
    expect({ size, ...sliced(data, c, size, (b) => JSON.parse(Buffer.from(b).toString('utf8'))) }).toEqual({
      size,
      ...expected,
    });
  }
  return expected;
}

const pixels: Case = {
  format: 'jsonl',
  batchSize: 3,
  decoder: {
    inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2, 2] }],
    featureColumns: ['x'],
    labelColumn: 'y',
    task: 'classification',
    labels: ['a', 'b', 'c'],
  },
};
const tabular: Case = {
  format: 'csv',
  batchSize: 2,
  decoder: {
    inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }],
    featureColumns: ['f1', 'f2'],
    labelColumn: 'label',
    task: 'classification',
    labels: ['a', 'b', 'c'],
  },
};

describe('RecordSplitter + SliceDecoder (the parallel reader, on one thread)', () => {
  it('gives the JSON Lines batches of the single-threaded reader: blank lines, CRLF, BOM, nested and flat arrays', async () => {
    const rows = [
      '{"x":[1,2,3,4],"y":"a"}',
      '',
      '  \t',
      '{"x":[[5,6],[7,8]],"y":"b"}\r',
      '{"x":[0.1,-2.5e3,3,4],"y":2}',
      ' \u00a0',
      '{"y":"c","x":[9,10,11,12]}',
      '{"x":["1","2","3","4"],"y":"a"}',
      '{"x":[1,2,3,4],"y":"b"}',
    ];
    const data = '\ufeff' + rows.join('\n') + '\n\n';
    const expected = await expectSame(data, pixels);
    // A line starting with U+00A0 is not blank to the single-threaded reader: it is a bad row.
    expect((await expectSame('{"x":[1,2,3,4],"y":"a"}\n\u00a0\n', pixels)).error?.details).toEqual({ row: 2, line: 2 });
    expect(expected.batches.map((b) => [b.firstRow, b.lastRow])).toEqual([
      [1, 3],
      [4, 6],
    ]);
    expect(expected.error).toBeUndefined();
    // Resumed after 2 rows, and without a final line feed.
    await expectSame(rows.join('\n'), { ...pixels, skipRows: 2 });
  });

  it('names the row and line of a bad JSON Lines row with the message of the single-threaded reader', async () => {
    const good = '{"x":[1,2,3,4],"y":"a"}';
    for (const bad of [
      '{"x":[1,2,3',
      '[1,2]',
      '{"x":[1,2,3],"y":"a"}',
      '{"x":[1,2,3,"z"],"y":"a"}',
      '{"x":[1,2,3,4],"y":"q"}',
    ]) {
      const data = [good, good, '', good, good, bad, good].join('\n');
      const expected = await expectSame(data, pixels, [1, 7, 64 * 1024]);
      expect(expected.error?.details).toMatchObject({ row: 5, line: 6 });
      expect(expected.batches).toHaveLength(1);
    }
    // Refused by the scanner, read by JSON.parse (as Infinity), as the single-threaded reader does.
    expect((await expectSame(`${good}\n{"x":[1,2,3,1e999],"y":"a"}`, pixels)).error).toBeUndefined();
  });

  it('keeps a quoted CSV field with line breaks in one record wherever the chunks are cut (CRLF, CR, BOM)', async () => {
    const data =
      '\ufeffnote,f1,f2,label\r\n' +
      '"two\r\nlines",1,2,a\r\n' +
      'plain,3,4,b\r\n' +
      '\r\n' +
      '"a ""quoted"" comma, and\nbreak",5,6,c\r' +
      '"",7,8,a\n' +
      'x"y,9,10,b';
    const expected = await expectSame(data, tabular);
    expect(expected.batches.map((b) => [b.firstRow, b.lastRow])).toEqual([
      [1, 2],
      [3, 4],
      [5, 5],
    ]);
    await expectSame(data, { ...tabular, skipRows: 3 });
  });

  it('names the row and line of bad CSV rows as the single-threaded reader does', async () => {
    const head = 'note,f1,f2,label\n"multi\nline",1,2,a\nok,3,4,b\n';
    for (const bad of [
      'ok,5,label-missing\n',
      '"x"y,5,6,a\n',
      'ok,five,6,a\n',
      'ok,5,6,zzz\n',
      '"never closed,5,6,a\n',
    ]) {
      const expected = await expectSame(head + bad + 'ok,7,8,c\n', tabular, [1, 4, 64 * 1024]);
      expect(expected.error?.details).toMatchObject({ row: 3, line: 5 });
    }
    expect((await expectSame('', tabular)).error?.reason).toBe('DATASET_EMPTY');
    expect((await expectSame('a,a\n1,2\n', tabular)).error?.details).toMatchObject({ row: 0 });
  });
});
