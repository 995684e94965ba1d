import { createReadStream, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decidePrediction, type ModelSignature } from '@fledge/domain';
import { FledgeError } from '@fledge/errors';
import { type NamedTensor, OnnxModelRuntime } from '@fledge/inference';
import { getModel, type ModelName, type WrittenDataset, writeDataset } from '@fledge/trainer';
import { type GradingHeartbeat } from '@fledge/workflows';

import { gradeStream, type GradeStreamOptions } from '../../src/grading/dataset-grader.js';
import { type BufferStats, readDatasetBatchesInParallel } from '../../src/grading/parallel-batches.js';

/** Threads of this process (decode threads show up here, and leave when terminated). */
const threads = () => readdirSync('/proc/self/task').length;

// The parallel decode path (rows parsed in threads, batches in shared buffers read by ORT in
// place) against the single-threaded path, over real datasets, real ONNX models and real ORT.
describe('grading with rows decoded in worker threads (real ORT, real files)', () => {
  let dir: string;
  let runtime: OnnxModelRuntime;
  const loaded = new Map<ModelName, { key: string; signature: ModelSignature; labels: string[] }>();
  let digitsJsonl: WrittenDataset;
  let digitsCsv: WrittenDataset;
  let penguinsCsv: WrittenDataset;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fledge-parallel-grading-'));
    runtime = new OnnxModelRuntime({ workers: 1, session: { intraOpNumThreads: 1 } });
    for (const name of ['digits-cnn', 'digits-mlp', 'digits-mlp-faulty', 'penguins-forest'] as const) {
      const model = await getModel(name);
      const { signature } = await runtime.load({ key: model.sha256, path: model.path });
      loaded.set(name, { key: model.sha256, signature, labels: [...model.report.labels] });
    }
    digitsJsonl = await writeDataset('digits', 'test', path.join(dir, 'digits.jsonl'), { format: 'jsonl' });
    digitsCsv = await writeDataset('digits', 'test', path.join(dir, 'digits.csv'), { format: 'csv', limit: 500 });
    penguinsCsv = await writeDataset('penguins', 'test', path.join(dir, 'penguins.csv'), { format: 'csv' });
  });

  afterAll(async () => {
    await runtime?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const options = (
    name: ModelName,
    data: Pick<WrittenDataset, 'path' | 'format' | 'featureColumns' | 'labelColumn'>,
    extra: Partial<GradeStreamOptions> = {},
  ): GradeStreamOptions => {
    const model = loaded.get(name)!;
    return {
      runtime,
      modelKey: model.key,
      signature: model.signature,
      task: 'classification',
      prediction: decidePrediction({
        signature: model.signature,
        task: 'classification',
        metadata: { labels: model.labels },
      }),
      labels: model.labels,
      source: createReadStream(data.path, { highWaterMark: 64 * 1024 }),
      format: data.format,
      compression: 'auto',
      featureColumns: data.featureColumns.map((c) => c.name),
      labelColumn: data.labelColumn,
      batchSize: 96,
      ...extra,
    };
  };

  const failureOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!FledgeError.is(error)) throw new Error(`expected a FledgeError, got ${String(error)}`);
    return { code: error.code, reason: error.reason, message: error.message, details: error.details };
  };

  it('gives the metrics of the single-threaded path on digits JSONL and CSV and penguins CSV, with 1 and 2 threads', async () => {
    const pairs: [ModelName, WrittenDataset][] = [
      ['digits-cnn', digitsJsonl],
      ['digits-mlp', digitsCsv],
      ['penguins-forest', penguinsCsv],
    ];
    for (const [name, data] of pairs) {
      const reference = await gradeStream(options(name, data, { decodeWorkers: 0 }));
      expect(reference.rowsDone).toBe(data.rows);
      for (const decodeWorkers of [1, 2]) {
        const parallel = await gradeStream(options(name, data, { decodeWorkers }));
        expect({ name, decodeWorkers, metrics: parallel.metrics }).toEqual({
          name,
          decodeWorkers,
          metrics: reference.metrics,
        });
        expect(parallel.rowsDone).toBe(data.rows);
        expect({ ...parallel.latency.run, gradingMs: 0 }).toEqual({ ...reference.latency.run, gradingMs: 0 });
      }
    }
  });

  it('names a malformed row in the middle, and the rows of a batch the model fails on, as the single-threaded path does', async () => {
    const lines = (await readFile(digitsJsonl.path, 'utf8')).split('\n');
    lines[1234] = lines[1234].replace('"pixels":[', '"pixels":[1,');
    const badJsonl = { ...digitsJsonl, path: path.join(dir, 'digits-bad.jsonl') };
    await writeFile(badJsonl.path, lines.join('\n'));
    const rows = (await readFile(penguinsCsv.path, 'utf8')).split('\n');
    rows[40] = rows[40].replace(/,[^,]*$/, '');
    const badCsv = { ...penguinsCsv, path: path.join(dir, 'penguins-bad.csv') };
    await writeFile(badCsv.path, rows.join('\n'));

    const cases: [ModelName, typeof badJsonl, Record<string, unknown>][] = [
      ['digits-cnn', badJsonl, { row: 1235, line: 1235 }],
      ['penguins-forest', badCsv, { row: 40, line: 41 }],
      ['digits-mlp-faulty', digitsJsonl, { firstRow: expect.any(Number) }],
    ];
    for (const [name, data, where] of cases) {
      const reference = await failureOf(gradeStream(options(name, data, { decodeWorkers: 0 })));
      expect(reference.details).toMatchObject(where);
      for (const decodeWorkers of [1, 2]) {
        expect(await failureOf(gradeStream(options(name, data, { decodeWorkers })))).toEqual(reference);
      }
    }
  });

  it('splits CSV records with quoted line breaks across chunk boundaries, with CRLF and a BOM', async () => {
    const text = (await readFile(penguinsCsv.path, 'utf8')).trimEnd().split('\n');
    const [header, ...body] = text;
    // A text column no model reads, holding commas, quotes and line breaks, first in each row.
    const quoted = [
      `note,${header}`,
      ...body.map((row, i) => `"row ${i}, ""quoted""\r\nsecond line\nthird",${row}`),
    ].join('\r\n');
    const data = { ...penguinsCsv, path: path.join(dir, 'penguins-quoted.csv') };
    await writeFile(data.path, `\ufeff${quoted}\r\n`);
    const chunked = (decodeWorkers: number) =>
      options('penguins-forest', data, {
        decodeWorkers,
        batchSize: 7,
        source: createReadStream(data.path, { highWaterMark: 13 }),
      });
    const reference = await gradeStream(chunked(0));
    expect(reference.rowsDone).toBe(penguinsCsv.rows);
    const parallel = await gradeStream(chunked(2));
    expect(parallel.metrics).toEqual(reference.metrics);
    // The same grading as the file without the note column.
    expect(parallel.metrics).toEqual((await gradeStream(options('penguins-forest', penguinsCsv))).metrics);
  });

  it('resumes from a heartbeat of a cancelled run to the metrics of an uninterrupted run', async () => {
    const whole = await gradeStream(options('digits-cnn', digitsJsonl, { decodeWorkers: 2 }));
    const abort = new AbortController();
    let beat: GradingHeartbeat | undefined;
    const first = gradeStream(
      options('digits-cnn', digitsJsonl, {
        decodeWorkers: 2,
        signal: abort.signal,
        progressIntervalMs: 0,
        onProgress: (progress) => {
          // What Temporal keeps of a heartbeat: its JSON.
          beat = JSON.parse(JSON.stringify(progress)) as GradingHeartbeat;
          if (progress.lastRow >= 1000) abort.abort(new Error('cancelled'));
        },
      }),
    );
    await expect(first).rejects.toThrow('cancelled');
    expect(beat!.lastRow).toBeGreaterThanOrEqual(1000);
    expect(beat!.lastRow).toBeLessThan(digitsJsonl.rows);
    const resumed = await gradeStream(options('digits-cnn', digitsJsonl, { decodeWorkers: 2, resume: beat }));
    expect(resumed.metrics).toEqual(whole.metrics);
    expect(resumed.latency.run).toMatchObject({
      attempts: 2,
      resumedFromRow: beat!.lastRow,
      rowsGraded: digitsJsonl.rows,
    });
  });

  it('leaves no decode thread behind when cancelled mid-run', async () => {
    // Warm: the runtime's threads and libuv's pool exist before counting.
    await gradeStream(options('digits-cnn', digitsCsv, { decodeWorkers: 0 }));
    const before = threads();
    const abort = new AbortController();
    let during = 0;
    const run = gradeStream(
      options('digits-cnn', digitsJsonl, {
        decodeWorkers: 2,
        signal: abort.signal,
        progressIntervalMs: 0,
        onProgress: () => {
          during = threads();
          abort.abort(new Error('cancelled mid-run'));
        },
      }),
    );
    await expect(run).rejects.toThrow('cancelled mid-run');
    expect(during).toBe(before + 2);
    expect(threads()).toBe(before);
  });

  it('holds at most its buffer sets, reads the source only as far as they allow, and never copies a batch', async () => {
    const model = loaded.get('digits-cnn')!;
    let bytesRead = 0;
    async function* counted() {
      for await (const chunk of createReadStream(digitsJsonl.path, { highWaterMark: 16 * 1024 })) {
        bytesRead += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    }
    const stats: BufferStats[] = [];
    const batchBytes = Math.ceil((digitsJsonl.bytes / digitsJsonl.rows) * 50);
    const seen = new Set<ArrayBufferLike>();
    let batches = 0;
    for await (const batch of readDatasetBatchesInParallel(counted(), {
      format: 'jsonl',
      compression: 'none',
      batchSize: 50,
      workers: 2,
      buffers: 4,
      decoder: {
        inputs: model.signature.inputs,
        featureColumns: ['pixels'],
        labelColumn: digitsJsonl.labelColumn,
        task: 'classification',
        labels: model.labels,
      },
      onBuffers: (s) => stats.push(s),
    })) {
      batches++;
      // Never more than the buffers ahead of what was consumed (plus the chunk being split).
      expect(bytesRead).toBeLessThanOrEqual((batches + 5) * batchBytes + 2 * 16 * 1024);
      const data = batch.inputs.pixels.data as Float32Array;
      expect(data.buffer).toBeInstanceOf(SharedArrayBuffer);
      seen.add(data.buffer);
      // The model reads the shared buffer in place.
      await runtime.run(model.key, [batch.inputs.pixels as NamedTensor]);
      batch.release();
    }
    expect(batches).toBe(Math.ceil(digitsJsonl.rows / 50));
    expect(Math.max(...stats.map((s) => s.allocated))).toBe(4);
    expect(Math.max(...stats.map((s) => s.inUse))).toBeLessThanOrEqual(4);
    expect(seen.size).toBe(4);
    expect(stats.at(-1)).toEqual({ allocated: 4, inUse: 0 });

    // A consumer that keeps every batch: no fifth buffer, no reading on; a clear error instead.
    const kept: unknown[] = [];
    const hoard = async () => {
      for await (const batch of readDatasetBatchesInParallel(createReadStream(digitsJsonl.path), {
        format: 'jsonl',
        compression: 'none',
        batchSize: 50,
        workers: 1,
        buffers: 3,
        decoder: {
          inputs: model.signature.inputs,
          featureColumns: ['pixels'],
          labelColumn: digitsJsonl.labelColumn,
          task: 'classification',
        },
      })) {
        kept.push(batch);
      }
    };
    await expect(hoard()).rejects.toThrow('every batch buffer (3) is held by the consumer');
    expect(kept).toHaveLength(3);
  });

  it('refuses a decode thread count that is not an integer from 0 to 64', async () => {
    for (const decodeWorkers of [-1, 1.5, 65, Number.NaN]) {
      expect(await failureOf(gradeStream(options('digits-cnn', digitsCsv, { decodeWorkers })))).toMatchObject({
        code: 'INVALID_ARGUMENT',
        reason: 'GRADING_DECODE_WORKERS_INVALID',
      });
    }
  });
});
