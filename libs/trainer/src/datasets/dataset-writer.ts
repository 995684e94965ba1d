import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

import { invalidArgument } from '@fledge/errors';

import { fround } from '../math.util.js';
import { type DenseSplit, type TextSplit } from './dataset.types.js';
import { DIGITS_WIDTH, loadDigits } from './digits.dataset.js';
import { loadPenguins, PENGUIN_FEATURES } from './penguins.dataset.js';
import { loadSpam } from './spam.dataset.js';

export type DatasetKind = 'digits' | 'spam' | 'penguins';
export type SplitName = 'train' | 'test';
export type DatasetFormat = 'jsonl' | 'csv';

/** A declared column: a scalar (shape []) or a fixed-size tensor column such as `pixels` [784]. */
export interface ColumnSpec {
  readonly name: string;
  readonly dtype: 'float32' | 'string';
  readonly shape: readonly number[];
}

export interface WriteDatasetOptions {
  readonly format: DatasetFormat;
  readonly gzip?: boolean;
  /** zlib level 1..9 (default 6); level 1 writes million-row files several times faster. */
  readonly gzipLevel?: number;
  /** Writes the split this many times over (benchmarks build 200,000+ row files from digits). */
  readonly repeat?: number;
  /** Keeps only the first `limit` rows of the split (before repeating). */
  readonly limit?: number;
}

export interface WrittenDataset {
  readonly path: string;
  readonly kind: DatasetKind;
  readonly split: SplitName;
  readonly format: DatasetFormat;
  readonly gzip: boolean;
  readonly rows: number;
  readonly bytes: number;
  /** Hex sha256 of the bytes on disk (after gzip, if any). */
  readonly sha256: string;
  /** In the order a model's input expects them (penguins: the 4 columns of `features`). */
  readonly featureColumns: readonly ColumnSpec[];
  readonly labelColumn: string;
  /** Class names, indexed by the integer label. */
  readonly labelNames: readonly string[];
}

export const LABEL_COLUMN = 'label';

/** Shortest decimal that parses back to the same float32: rows stay small and exact. */
export function formatFloat32(value: number): string {
  if (Number.isInteger(value)) return String(value);
  for (let digits = 1; digits < 10; digits++) {
    const text = value.toPrecision(digits);
    if (fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

interface Encoded {
  readonly header?: string;
  readonly lines: readonly string[];
  readonly featureColumns: readonly ColumnSpec[];
  readonly labelNames: readonly string[];
}

function denseRows(split: DenseSplit, limit: number): string[][] {
  const rows: string[][] = [];
  for (let r = 0; r < Math.min(limit, split.rows); r++) {
    rows.push(Array.from(split.features.subarray(r * split.width, (r + 1) * split.width), (v) => formatFloat32(v)));
  }
  return rows;
}

function encodeDigits(split: DenseSplit, format: DatasetFormat, limit: number): Omit<Encoded, 'labelNames'> {
  const rows = denseRows(split, limit);
  if (format === 'jsonl') {
    return {
      featureColumns: [{ name: 'pixels', dtype: 'float32', shape: [DIGITS_WIDTH] }],
      lines: rows.map((pixels, r) => `{"pixels":[${pixels.join(',')}],"${LABEL_COLUMN}":${split.labels[r]}}\n`),
    };
  }
  const names = Array.from({ length: DIGITS_WIDTH }, (_, i) => `pixel${i}`);
  return {
    featureColumns: names.map((name) => ({ name, dtype: 'float32', shape: [] })),
    header: `${[...names, LABEL_COLUMN].join(',')}\n`,
    lines: rows.map((pixels, r) => `${pixels.join(',')},${split.labels[r]}\n`),
  };
}

function encodePenguins(split: DenseSplit, format: DatasetFormat, limit: number): Omit<Encoded, 'labelNames'> {
  const rows = denseRows(split, limit);
  const featureColumns = PENGUIN_FEATURES.map((name) => ({ name, dtype: 'float32' as const, shape: [] }));
  if (format === 'jsonl') {
    return {
      featureColumns,
      lines: rows.map((values, r) => {
        const fields = PENGUIN_FEATURES.map((name, j) => `"${name}":${values[j]}`);
        return `{${fields.join(',')},"${LABEL_COLUMN}":${split.labels[r]}}\n`;
      }),
    };
  }
  return {
    featureColumns,
    header: `${[...PENGUIN_FEATURES, LABEL_COLUMN].join(',')}\n`,
    lines: rows.map((values, r) => `${values.join(',')},${split.labels[r]}\n`),
  };
}

function encodeSpam(split: TextSplit, format: DatasetFormat, limit: number): Omit<Encoded, 'labelNames'> {
  const count = Math.min(limit, split.rows);
  const texts = split.texts.slice(0, count);
  const featureColumns = [{ name: 'text', dtype: 'string' as const, shape: [] }];
  if (format === 'jsonl') {
    return {
      featureColumns,
      lines: texts.map((text, r) => `${JSON.stringify({ text, [LABEL_COLUMN]: split.labels[r] })}\n`),
    };
  }
  return {
    featureColumns,
    header: `text,${LABEL_COLUMN}\n`,
    lines: texts.map((text, r) => `${csvField(text)},${split.labels[r]}\n`),
  };
}

function encode(kind: DatasetKind, split: SplitName, format: DatasetFormat, limit: number): Encoded {
  switch (kind) {
    case 'digits': {
      const data = loadDigits();
      return { ...encodeDigits(data[split], format, limit), labelNames: data.labelNames };
    }
    case 'penguins': {
      const data = loadPenguins();
      return { ...encodePenguins(data[split], format, limit), labelNames: data.labelNames };
    }
    case 'spam': {
      const data = loadSpam();
      return { ...encodeSpam(data[split], format, limit), labelNames: data.labelNames };
    }
    default:
      throw invalidArgument(`unknown dataset kind ${String(kind)}`, { reason: 'DATASET_KIND_UNKNOWN' });
  }
}

/** Joins lines into chunks of ~64 KiB so that streams see few, large writes. */
function* chunks(encoded: Encoded, repeat: number): Generator<string> {
  if (encoded.header) yield encoded.header;
  let buffer = '';
  for (let pass = 0; pass < repeat; pass++) {
    for (const line of encoded.lines) {
      buffer += line;
      if (buffer.length >= 65_536) {
        yield buffer;
        buffer = '';
      }
    }
  }
  if (buffer) yield buffer;
}

/**
 * Writes a split as a dataset file the grading pipeline reads (JSON Lines or CSV, optionally
 * gzip), streaming with backpressure so that million-row files never sit in memory.
 */
export async function writeDataset(
  kind: DatasetKind,
  split: SplitName,
  path: string,
  options: WriteDatasetOptions,
): Promise<WrittenDataset> {
  const repeat = options.repeat ?? 1;
  const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(repeat) || repeat < 1) {
    throw invalidArgument('repeat must be a positive integer', { reason: 'DATASET_REPEAT_INVALID' });
  }
  if (!(limit >= 1)) throw invalidArgument('limit must be at least 1', { reason: 'DATASET_LIMIT_INVALID' });
  const encoded = encode(kind, split, options.format, limit);
  const hash = createHash('sha256');
  let bytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await mkdir(dirname(path), { recursive: true });
  const source = Readable.from(chunks(encoded, repeat), { objectMode: false });
  const sink = createWriteStream(path);
  if (options.gzip) await pipeline(source, createGzip({ level: options.gzipLevel ?? 6 }), measure, sink);
  else await pipeline(source, measure, sink);
  return {
    path,
    kind,
    split,
    format: options.format,
    gzip: options.gzip ?? false,
    rows: encoded.lines.length * repeat,
    bytes,
    sha256: hash.digest('hex'),
    featureColumns: encoded.featureColumns,
    labelColumn: LABEL_COLUMN,
    labelNames: encoded.labelNames,
  };
}
