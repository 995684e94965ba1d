import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { FledgeError } from '@fledge/errors';

import { inspectDataset, type InspectDatasetOptions, sortLabels } from './dataset.inspector.js';

const source = (data: string | Buffer, chunkSize = 64 * 1024) => {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
};
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

async function failure(promise: Promise<unknown>): Promise<FledgeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!FledgeError.is(error)) throw new Error(`expected a FledgeError, got ${String(error)}`);
  return error;
}

const digits: InspectDatasetOptions = {
  format: 'jsonl',
  compression: 'auto',
  featureColumns: ['pixels'],
  labelColumn: 'label',
};
const penguins: InspectDatasetOptions = {
  format: 'csv',
  compression: 'auto',
  featureColumns: ['bill_length_mm', 'bill_depth_mm'],
  labelColumn: 'species',
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fledge-datasets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe(inspectDataset.name, () => {
  const rows = Array.from({ length: 25 }, (_, i) => `{"pixels":[${i},${i + 1}],"label":${(i * 7) % 11},"id":"r${i}"}`);
  const text = `${rows.join('\n')}\n`;

  it('counts rows, collects the label set in numeric order, the columns, the bytes and the sha256', async () => {
    const file = path.join(dir, 'digits.jsonl');
    await writeFile(file, text);
    const result = await inspectDataset(createReadStream(file), digits);
    expect(result).toEqual({
      rowCount: 25,
      labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
      labelCardinalityExceeded: false,
      columns: ['pixels', 'label', 'id'],
      sha256: sha256(text),
      bytes: Buffer.byteLength(text),
      compression: 'none',
      truncated: false,
    });
  });

  it('hashes and counts the stored (compressed) bytes of a gzip dataset', async () => {
    const gz = gzipSync(text);
    const result = await inspectDataset(source(gz, 100), digits);
    expect(result).toMatchObject({ rowCount: 25, sha256: sha256(gz), bytes: gz.length, compression: 'gzip' });
  });

  it('reads CSV labels as strings and reports the header as the columns', async () => {
    const csv =
      'species,bill_length_mm,bill_depth_mm,island\nAdelie,39.1,18.7,"Torgersen"\nGentoo,46.1,13.2,Biscoe\nAdelie,39.5,17.4,Dream\n';
    const result = await inspectDataset(source(csv), penguins);
    expect(result).toMatchObject({
      rowCount: 3,
      labels: ['Adelie', 'Gentoo'],
      columns: ['species', 'bill_length_mm', 'bill_depth_mm', 'island'],
    });
  });

  it('names the first row lacking the label column', async () => {
    const bad = '{"pixels":[1],"label":1}\n\n{"pixels":[2],"label":2}\n{"pixels":[3]}\n{"pixels":[4]}\n';
    const error = await failure(inspectDataset(source(bad), digits));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.reason).toBe('DATASET_ROW_INVALID');
    expect(error.message).toBe('row 3 (line 4): lacks the declared label column label');
    expect(error.details).toEqual({ row: 3, line: 4, column: 'label' });
  });

  it('names the row of a missing or null feature, and of a label that is not a scalar', async () => {
    expect((await failure(inspectDataset(source('{"label":1}\n'), digits))).message).toBe(
      'row 1 (line 1): lacks the declared feature column pixels',
    );
    expect(
      (await failure(inspectDataset(source('{"pixels":[1],"label":1}\n{"pixels":null,"label":1}\n'), digits))).message,
    ).toBe('row 2 (line 2): the declared feature column pixels is empty');
    expect((await failure(inspectDataset(source('{"pixels":[1],"label":[1]}\n'), digits))).message).toBe(
      'row 1 (line 1): the label [1] is not a string, number or boolean',
    );
  });

  it('takes an empty CSV field as missing', async () => {
    const error = await failure(
      inspectDataset(source('species,bill_length_mm,bill_depth_mm\nAdelie,39.1,18.7\nAdelie,,17.4\n'), penguins),
    );
    expect(error.message).toBe('row 2 (line 3): the declared feature column bill_length_mm is empty');
  });

  it('checks the CSV header before any row', async () => {
    const error = await failure(inspectDataset(source('species,bill_length_mm\n'), penguins));
    expect(error.reason).toBe('DATASET_COLUMN_MISSING');
    expect(error.message).toBe(
      'the CSV header lacks the declared column bill_depth_mm (header: species, bill_length_mm)',
    );
    expect(error.details).toEqual({ missing: ['bill_depth_mm'] });
  });

  it('refuses an empty dataset, a header-only CSV and contradictory declarations', async () => {
    for (const [data, options] of [
      ['', digits],
      ['\n\n', digits],
      [gzipSync(''), digits],
      ['species,bill_length_mm,bill_depth_mm\n', penguins],
    ] as const) {
      const error = await failure(inspectDataset(source(data), options));
      expect(error.reason).toBe('DATASET_EMPTY');
    }
    const overlap = await failure(inspectDataset(source(text), { ...digits, featureColumns: ['pixels', 'label'] }));
    expect(overlap.reason).toBe('DATASET_COLUMNS_INVALID');
    expect((await failure(inspectDataset(source(text), { ...digits, featureColumns: [] }))).reason).toBe(
      'DATASET_COLUMNS_INVALID',
    );
  });

  it('stops after maxRows without a digest, and caps the label set', async () => {
    const preview = await inspectDataset(source(text, 64), { ...digits, maxRows: 5 });
    expect(preview).toMatchObject({ rowCount: 5, truncated: true, sha256: undefined });
    const capped = await inspectDataset(source(text), { ...digits, maxLabels: 3 });
    expect(capped).toMatchObject({ rowCount: 25, labelCardinalityExceeded: true, labels: ['0', '7', '3'].sort() });
  });

  it('reports a corrupt gzip with zlib’s reason', async () => {
    const gz = gzipSync(text);
    const error = await failure(inspectDataset(source(gz.subarray(0, gz.length / 2)), digits));
    expect(error.reason).toBe('DATASET_DECODE_FAILED');
    expect(error.message).toMatch(/unexpected end of file/);
  });
});

describe(sortLabels.name, () => {
  it('sorts numbers numerically and words by code point', () => {
    expect(sortLabels(['10', '2', '-1', '1.5'])).toEqual(['-1', '1.5', '2', '10']);
    expect(sortLabels(['spam', 'ham', '10'])).toEqual(['10', 'ham', 'spam']);
  });
});
