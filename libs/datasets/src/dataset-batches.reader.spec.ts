import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';

import { describe, expect, it } from '@jest/globals';

import { FledgeError } from '@fledge/errors';

import { BatchBuilder, type DatasetBatch } from './batch.builder.js';
import { readDatasetBatches, type ReadDatasetBatchesOptions } from './dataset-batches.reader.js';
import { createRowDecoder, type RowDecoderOptions } from './row.decoder.js';

const source = (data: string | Buffer, chunkSize = 64 * 1024) => {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
};

async function collect(input: Readable, options: ReadDatasetBatchesOptions): Promise<DatasetBatch[]> {
  const batches: DatasetBatch[] = [];
  for await (const batch of readDatasetBatches(input, options)) batches.push(batch);
  return batches;
}

const tiny: RowDecoderOptions = {
  inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3] }],
  featureColumns: ['x'],
  labelColumn: 'label',
  labels: ['a', 'b', 'c'],
  task: 'classification',
};
/** Row r (1-based) holds x = [r, r + 0.5, -r] and label "a"/"b"/"c" by r mod 3. */
const tinyJsonl = (rows: number) =>
  Array.from({ length: rows }, (_, i) => {
    const r = i + 1;
    return `{"x":[${r},${r + 0.5},${-r}],"label":"${'abc'[r % 3]}"}\n`;
  }).join('');
const expectedX = (first: number, count: number) =>
  Float32Array.from(Array.from({ length: count }, (_, i) => [first + i, first + i + 0.5, -(first + i)]).flat());
const expectedLabels = (first: number, count: number) => Int32Array.from({ length: count }, (_, i) => (first + i) % 3);

describe(readDatasetBatches.name, () => {
  it('batches 10 rows by 4 into 4, 4, 2 with their first rows, shapes, values and labels', async () => {
    const batches = await collect(source(tinyJsonl(10), 50), {
      format: 'jsonl',
      compression: 'none',
      batchSize: 4,
      decoder: tiny,
    });
    expect(batches.map((b) => [b.firstRow, b.lastRow, b.rowCount])).toEqual([
      [1, 4, 4],
      [5, 8, 4],
      [9, 10, 2],
    ]);
    for (const batch of batches) {
      expect(batch.inputs.x.shape).toEqual([batch.rowCount, 3]);
      expect(batch.inputs.x.datatype).toBe('FP32');
      expect(batch.inputs.x.data).toEqual(expectedX(batch.firstRow, batch.rowCount));
      expect(batch.labels).toEqual(expectedLabels(batch.firstRow, batch.rowCount));
    }
    // Each batch owns its arrays: an earlier batch is not overwritten by a later one.
    expect(batches[0].inputs.x.data).not.toBe(batches[1].inputs.x.data);
  });

  it('resumes after skipRows: the first batch starts at the next row and skipped rows are not decoded', async () => {
    const text = `{"x":"garbage","label":"zzz"}\n${tinyJsonl(10).split('\n').slice(1).join('\n')}`;
    const batches = await collect(source(gzipSync(text), 17), {
      format: 'jsonl',
      compression: 'auto',
      batchSize: 4,
      skipRows: 5,
      decoder: createRowDecoder(tiny),
    });
    expect(batches.map((b) => [b.firstRow, b.rowCount])).toEqual([
      [6, 4],
      [10, 1],
    ]);
    expect(batches[0].inputs.x.data).toEqual(expectedX(6, 4));
    const unskipped = collect(source(text), { format: 'jsonl', compression: 'none', batchSize: 4, decoder: tiny });
    await expect(unskipped).rejects.toThrow('row 1 (line 1): column x has 1 value, input x expects 3');
  });

  it('batches a tabular CSV and a text CSV', async () => {
    const csv = 'a,b,c,d,species\n1,2,3,4,Gentoo\n5,6,7,8,Adelie\n9,10,11,12,Chinstrap\n';
    const [tab] = await collect(source(csv), {
      format: 'csv',
      compression: 'none',
      batchSize: 8,
      decoder: {
        inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
        featureColumns: ['a', 'b', 'c', 'd'],
        labelColumn: 'species',
        labels: ['Adelie', 'Chinstrap', 'Gentoo'],
        task: 'classification',
      },
    });
    expect(tab.inputs.features).toEqual({
      name: 'features',
      datatype: 'FP32',
      shape: [3, 4],
      data: Float32Array.from({ length: 12 }, (_, i) => i + 1),
    });
    expect(tab.labels).toEqual(Int32Array.from([2, 0, 1]));

    const texts = await collect(source('text,label\n"Hi, you",0\n"WIN ""big""\nnow",1\nok,0\n'), {
      format: 'csv',
      compression: 'none',
      batchSize: 2,
      decoder: {
        inputs: [{ name: 'text', datatype: 'BYTES', shape: [-1] }],
        featureColumns: ['text'],
        labelColumn: 'label',
        labels: ['ham', 'spam'],
        task: 'classification',
      },
    });
    expect(texts.map((b) => [b.inputs.text.shape, b.inputs.text.data, Array.from(b.labels!)])).toEqual([
      [[2], ['Hi, you', 'WIN "big"\nnow'], [0, 1]],
      [[1], ['ok'], [0]],
    ]);
  });

  it('names the row and column when a tabular CSV lacks a declared column or holds a bad cell', async () => {
    const options = (featureColumns: string[]): ReadDatasetBatchesOptions => ({
      format: 'csv',
      compression: 'none',
      batchSize: 8,
      decoder: {
        inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 2] }],
        featureColumns,
        labelColumn: 'y',
        task: 'regression',
      },
    });
    await expect(collect(source('a,b,y\n1,2,0.5\n'), options(['a', 'c']))).rejects.toThrow(
      'row 1 (line 2): lacks the feature column c (input features)',
    );
    await expect(collect(source('a,b,y\n1,2,0.5\n3,x,1\n'), options(['a', 'b']))).rejects.toThrow(
      'row 2 (line 3): column b: "x" is not a number (input features, FP32)',
    );
    await expect(collect(source('a,b\n1,2\n'), options(['a', 'b']))).rejects.toThrow(
      'row 1 (line 2): lacks the label column y',
    );
  });

  it('fails naming the row that does not match the signature', async () => {
    const text = tinyJsonl(6).replace('{"x":[5,5.5,-5]', '{"x":[5,5.5]');
    const seen: number[] = [];
    const error = await (async () => {
      for await (const batch of readDatasetBatches(source(text), {
        format: 'jsonl',
        compression: 'none',
        batchSize: 2,
        decoder: tiny,
      }))
        seen.push(batch.firstRow);
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(seen).toEqual([1, 3]);
    expect(FledgeError.is(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as FledgeError).message).toBe('row 5 (line 5): column x has 2 values, input x expects 3');
  });

  it('keeps memory flat over 200,000 digit rows', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const ROWS = 200_000;
    const lines = Array.from({ length: 50 }, (_, v) => {
      const pixels = Array.from({ length: 784 }, (_, i) => ((i * 31 + v * 7) % 13 === 0 ? ((i + v) % 255) / 255 : 0));
      return `{"pixels":[${pixels.join(',')}],"label":${v % 10}}\n`;
    });
    async function* generate() {
      let chunk = '';
      for (let r = 0; r < ROWS; r++) {
        chunk += lines[r % lines.length];
        if (chunk.length >= 64 * 1024) {
          yield Buffer.from(chunk);
          chunk = '';
        }
      }
      if (chunk) yield Buffer.from(chunk);
    }
    const decoder = createRowDecoder({
      inputs: [{ name: 'pixels', datatype: 'FP32', shape: [-1, 784] }],
      featureColumns: ['pixels'],
      labelColumn: 'label',
      labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      task: 'classification',
    });
    let rows = 0;
    let checksum = 0;
    let baseline = 0;
    let peak = 0;
    for await (const batch of readDatasetBatches(Readable.from(generate()), {
      format: 'jsonl',
      compression: 'none',
      batchSize: 256,
      decoder,
    })) {
      rows += batch.rowCount;
      checksum += (batch.inputs.pixels.data as Float32Array)[0] + batch.labels![0];
      if (rows % (256 * 40) === 0) {
        gc();
        // Typed arrays keep their bytes outside the JS heap: count both.
        const { heapUsed, arrayBuffers } = process.memoryUsage();
        const used = heapUsed + arrayBuffers;
        if (baseline === 0) baseline = used;
        peak = Math.max(peak, used);
      }
    }
    expect(rows).toBe(ROWS);
    expect(checksum).toBeGreaterThan(0);
    const growthMb = (peak - baseline) / 1024 / 1024;
    expect(growthMb).toBeLessThan(30);
  }, 30_000);
});

describe(BatchBuilder.name, () => {
  const rows = Array.from({ length: 5 }, (_, i) => ({
    rowNumber: i + 1,
    line: i + 1,
    values: { x: [i + 1, i + 1.5, -(i + 1)], label: 'abc'[(i + 1) % 3] },
  }));

  it('reuses one set of buffers when asked, and flushes the partial batch', () => {
    const sut = new BatchBuilder(createRowDecoder(tiny), { batchSize: 2, reuseBuffers: true });
    const batches = rows.map((r) => sut.add(r)).filter((b) => b !== undefined);
    expect(sut.pending).toBe(1);
    const last = sut.flush()!;
    expect(batches).toHaveLength(2);
    expect((batches[0].inputs.x.data as Float32Array).buffer).toBe((batches[1].inputs.x.data as Float32Array).buffer);
    expect(last).toMatchObject({ firstRow: 5, lastRow: 5, rowCount: 1 });
    expect(last.inputs.x.data).toEqual(expectedX(5, 1));
    expect(last.inputs.x.shape).toEqual([1, 3]);
    expect(sut.flush()).toBeUndefined();
  });

  it('leaves labels out without a label column and refuses a bad batch size', () => {
    const sut = new BatchBuilder(createRowDecoder({ ...tiny, labelColumn: undefined }), { batchSize: 1 });
    const batch = sut.add(rows[0])!;
    expect(batch.labels).toBeUndefined();
    expect(batch.inputs.x.data).toEqual(expectedX(1, 1));
    expect(() => new BatchBuilder(createRowDecoder(tiny), { batchSize: 0 })).toThrow(
      /batchSize must be a positive integer/,
    );
  });
});
