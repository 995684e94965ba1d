import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { FledgeError } from '@fledge/errors';

import { formatFloat32, writeDataset } from './dataset-writer.js';
import { loadDigits } from './digits.dataset.js';
import { loadPenguins } from './penguins.dataset.js';
import { loadSpam } from './spam.dataset.js';

/** RFC 4180 records (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  return records;
}

describe('datasets', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fledge-trainer-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('splits the digits deterministically into 8,000 balanced training rows and 2,000 test rows', () => {
    const { train, test } = loadDigits();
    expect([train.rows, test.rows, train.width]).toEqual([8000, 2000, 784]);
    expect(train.features.length).toBe(8000 * 784);
    const counts = new Array<number>(10).fill(0);
    for (const label of train.labels) counts[label]++;
    expect(counts).toEqual(new Array<number>(10).fill(800));
    expect(Array.from(train.labels.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(Math.min(...train.features.subarray(0, 784 * 10))).toBe(0);
    expect(Math.max(...train.features.subarray(0, 784 * 10))).toBeLessThanOrEqual(1);
  });

  it('loads the spam corpus and the penguins with fixed splits', () => {
    const spam = loadSpam();
    expect([spam.train.rows, spam.test.rows]).toEqual([4837, 1209]);
    expect(spam.train.labels.reduce((a, b) => a + b, 0) + spam.test.labels.reduce((a, b) => a + b, 0)).toBe(1896);
    const penguins = loadPenguins();
    expect([penguins.train.rows, penguins.test.rows, penguins.train.width]).toEqual([274, 68, 4]);
    expect(penguins.labelNames).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(Array.from(penguins.train.features.subarray(0, 4))).toEqual([39.1, 18.7, 181, 3750].map(Math.fround));
  });

  it('formats float32 values with the shortest exact decimal', () => {
    for (const v of [0, 1, 0.624, 0.1, 39.1, 1e-7, 123456.789]) {
      const f = Math.fround(v);
      expect(Math.fround(Number(formatFloat32(f)))).toBe(f);
    }
    expect(formatFloat32(Math.fround(0.624))).toBe('0.624');
  });

  it('writes digits as JSON Lines with a pixels tensor column, exact after parsing, and reports its digest', async () => {
    const path = join(dir, 'digits.jsonl');
    const written = await writeDataset('digits', 'test', path, { format: 'jsonl', limit: 50 });
    const bytes = await readFile(path);
    expect(written).toMatchObject({ rows: 50, bytes: bytes.length, labelColumn: 'label', gzip: false });
    expect(written.featureColumns).toEqual([{ name: 'pixels', dtype: 'float32', shape: [784] }]);
    expect(written.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const lines = bytes.toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(50);
    const { test } = loadDigits();
    lines.forEach((line, r) => {
      const row = JSON.parse(line) as { pixels: number[]; label: number };
      expect(Object.keys(row)).toEqual(['pixels', 'label']);
      expect(Float32Array.from(row.pixels)).toEqual(test.features.subarray(r * 784, (r + 1) * 784));
      expect(row.label).toBe(test.labels[r]);
    });
  });

  it('repeats and gzips for benchmark-sized files', async () => {
    const path = join(dir, 'digits.jsonl.gz');
    const written = await writeDataset('digits', 'test', path, {
      format: 'jsonl',
      gzip: true,
      gzipLevel: 1,
      limit: 10,
      repeat: 30,
    });
    const text = gunzipSync(await readFile(path)).toString('utf8');
    const lines = text.trimEnd().split('\n');
    expect(written.rows).toBe(300);
    expect(lines).toHaveLength(300);
    expect(lines[10]).toBe(lines[0]);
    expect(lines[1]).not.toBe(lines[0]);
  });

  it('writes spam as CSV whose quoted raw emails parse back exactly', async () => {
    const path = join(dir, 'spam.csv');
    const written = await writeDataset('spam', 'test', path, { format: 'csv', limit: 40 });
    expect(written.featureColumns).toEqual([{ name: 'text', dtype: 'string', shape: [] }]);
    const [header, ...records] = parseCsv(await readFile(path, 'utf8'));
    expect(header).toEqual(['text', 'label']);
    expect(records).toHaveLength(40);
    const { test } = loadSpam();
    records.forEach(([text, label], r) => {
      expect(text).toBe(test.texts[r]);
      expect(Number(label)).toBe(test.labels[r]);
    });
  });

  it('writes penguins as CSV and JSON Lines with the model-order feature columns', async () => {
    const csv = await writeDataset('penguins', 'train', join(dir, 'penguins.csv'), { format: 'csv' });
    expect(csv.featureColumns.map((c) => c.name)).toEqual([
      'bill_length_mm',
      'bill_depth_mm',
      'flipper_length_mm',
      'body_mass_g',
    ]);
    const lines = (await readFile(csv.path, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,label');
    expect(lines[1]).toBe('39.1,18.7,181,3750,0');
    expect(lines).toHaveLength(275);
    const jsonl = await writeDataset('penguins', 'test', join(dir, 'penguins.jsonl'), { format: 'jsonl' });
    const first = JSON.parse((await readFile(jsonl.path, 'utf8')).split('\n')[0]) as Record<string, number>;
    expect(Object.keys(first)).toEqual([...jsonl.featureColumns.map((c) => c.name), 'label']);
  });

  it('refuses nonsense options', async () => {
    await expect(writeDataset('digits', 'test', join(dir, 'x.jsonl'), { format: 'jsonl', repeat: 0 })).rejects.toThrow(
      FledgeError,
    );
  });
});
