// Grading benchmark (`npm run bench:grading`; not a test). Grades the digits CNN over a 200,000-row
// dataset (the 2,000 test digits repeated) through the grading activity's code path (gradeStream:
// streamed JSONL → row decoding → batches → the ORT worker-thread runtime → incremental metrics)
// with rows decoded on the grading thread, then in 1 and 2 decode threads, and compares each
// rows/s with a raw in-process ORT loop at the same batch size over the same rows, decoded
// beforehand, and with reading + decoding alone, all measured in this run. Then grades 1,000,000
// rows (the file streamed five times) and reports the peak RSS growth. Goals: ≥ 0.8× the raw
// loop; < 50 MiB growth. BENCH_DECODE_WORKERS sets the threads of the memory run (default 1).
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { readDatasetBatches } from '@fledge/datasets';
import { decidePrediction, type ModelSignature } from '@fledge/domain';
import { OnnxModelRuntime } from '@fledge/inference';
import { getModel, writeDataset } from '@fledge/trainer';
import ort from 'onnxruntime-node';

import { gradeStream } from '../src/grading/dataset-grader.js';

const BATCH = Number(process.env.BENCH_BATCH ?? 256);
const REPEAT = 100;
const MiB = 1024 * 1024;

const dir = await mkdtemp(path.join(tmpdir(), 'fledge-bench-grading-'));
try {
  const model = await getModel('digits-cnn');
  const data = await writeDataset('digits', 'test', path.join(dir, 'digits-200k.jsonl'), {
    format: 'jsonl',
    repeat: REPEAT,
  });
  console.log(`dataset: ${data.rows} rows, ${(data.bytes / MiB).toFixed(0)} MiB JSONL; batch size ${BATCH}`);
  const labels = model.report.labels;
  const decoderFor = (inputs: ModelSignature['inputs']) => ({
    inputs,
    featureColumns: ['pixels'],
    labelColumn: data.labelColumn,
    task: 'classification' as const,
    labels,
  });

  const runtime = new OnnxModelRuntime({ workers: 1, session: { intraOpNumThreads: 1 } });
  const { signature } = await runtime.load({ key: model.sha256, path: model.path });
  const grade = async (
    source: AsyncIterable<unknown>,
    decodeWorkers: number,
    onProgress: (rowsDone: number) => void = () => undefined,
  ) =>
    gradeStream({
      decodeWorkers,
      runtime,
      modelKey: model.sha256,
      signature,
      task: 'classification',
      prediction: decidePrediction({ signature, task: 'classification', metadata: { labels } }),
      labels,
      source,
      format: 'jsonl',
      compression: 'none',
      featureColumns: ['pixels'],
      labelColumn: data.labelColumn,
      batchSize: BATCH,
      progressIntervalMs: 250,
      onProgress: (p) => onProgress(p.rowsDone),
    });
  const fileStream = (file = data.path) => createReadStream(file, { highWaterMark: 64 * 1024 });

  // --- the grading path over the 200,000-row file, decoding on this thread and in 1 and 2
  // threads (the first run is also the warm-up of the memory run below: ORT's arena for batches
  // of BATCH rows, the worker thread and V8's heap reach their working size) ---
  const cold = process.memoryUsage().rss;
  const rates = new Map<number, number>();
  for (const workers of [0, 1, 2]) {
    const t0 = performance.now();
    const graded = await grade(fileStream(), workers);
    const seconds = (performance.now() - t0) / 1000;
    rates.set(workers, graded.rowsDone / seconds);
    console.log(
      `grading path, ${workers === 0 ? 'decoding on the grading thread' : `${workers} decode thread${workers > 1 ? 's' : ''}`}: ` +
        `${graded.rowsDone} rows in ${seconds.toFixed(1)} s = ${(graded.rowsDone / seconds).toFixed(0)} rows/s ` +
        `(accuracy ${graded.metrics.kind === 'classification' ? graded.metrics.accuracy.toFixed(4) : '-'}, ` +
        `batch p50 ${graded.latency.p50Ms.toFixed(1)} ms, p99 ${graded.latency.p99Ms.toFixed(1)} ms)`,
    );
  }

  // --- memory over 1,000,000 rows (the file streamed five times) ---
  async function* fiveTimes() {
    for (let i = 0; i < 5; i++) yield* fileStream();
  }
  // No forced GC here: it would shrink the heap below the working size the warm-up reached.
  const before = process.memoryUsage().rss;
  let peak = before;
  const checkpoints: string[] = [];
  let nextCheckpoint = 250_000;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t1 = performance.now();
  const mib = (bytes: number) => (bytes / MiB).toFixed(1);
  const memoryWorkers = Number(process.env.BENCH_DECODE_WORKERS ?? 1);
  const million = await grade(fiveTimes(), memoryWorkers, (rows) => {
    if (rows >= nextCheckpoint) {
      checkpoints.push(`${rows}: ${mib(process.memoryUsage().rss)} MiB`);
      nextCheckpoint += 250_000;
    }
  });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const millionSeconds = (performance.now() - t1) / 1000;
  console.log(
    `1,000,000 rows (${memoryWorkers} decode thread${memoryWorkers === 1 ? '' : 's'}): ${million.rowsDone} graded in ${millionSeconds.toFixed(1)} s ` +
      `(${(million.rowsDone / millionSeconds).toFixed(0)} rows/s)`,
  );
  console.log(
    `RSS: ${mib(cold)} MiB with the model loaded, ${mib(before)} MiB after the 200,000-row run; during the run ${checkpoints.join(', ')}; ` +
      `peak ${mib(peak)} MiB`,
  );
  console.log(
    `peak RSS growth across 1,000,000 rows: ${mib(peak - before)} MiB (goal < 50 MiB); ` +
      `including the first 200,000 rows: ${mib(peak - cold)} MiB`,
  );

  // --- the ceiling set by reading and decoding alone (no model) ---
  let decodeOnly = 0;
  const t2 = performance.now();
  for await (const batch of readDatasetBatches(fileStream(), {
    format: 'jsonl',
    compression: 'none',
    batchSize: BATCH,
    decoder: decoderFor(signature.inputs),
  })) {
    decodeOnly += batch.rowCount;
  }
  const decodeRate = decodeOnly / ((performance.now() - t2) / 1000);
  console.log(`read + decode only (no model): ${decodeRate.toFixed(0)} rows/s`);

  // --- the raw loop: one in-process session, the same session options as the worker's pool ---
  const session = await ort.InferenceSession.create(model.path, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  // The first 20,000 rows decoded up front (10 × the test split), run ten times over = 200,000 rows.
  const decoded: Float32Array[] = [];
  let decodedRows = 0;
  for await (const batch of readDatasetBatches(fileStream(), {
    format: 'jsonl',
    compression: 'none',
    batchSize: BATCH,
    decoder: decoderFor(signature.inputs),
  })) {
    decoded.push(Float32Array.from(batch.inputs.pixels.data as Float32Array));
    decodedRows += batch.rowCount;
    if (decodedRows >= 20_000) break;
  }
  const rawRun = async () => {
    let rows = 0;
    let checksum = 0;
    const t0 = performance.now();
    for (let pass = 0; pass < 10; pass++) {
      for (const pixels of decoded) {
        const n = pixels.length / 784;
        const out = await session.run({ pixels: new ort.Tensor('float32', pixels, [n, 784]) });
        // Read the scores, as grading does, so the comparison includes getting them out.
        const p = out.probabilities.data as Float32Array;
        for (let r = 0; r < n; r++) checksum += p[r * 10];
        rows += n;
      }
    }
    return { rows, seconds: (performance.now() - t0) / 1000, checksum };
  };
  await rawRun(); // warm-up
  const raw = await rawRun();
  await session.release();
  decoded.length = 0;
  const rawRate = raw.rows / raw.seconds;
  console.log(
    `raw in-process ORT loop: ${raw.rows} rows in ${raw.seconds.toFixed(1)} s = ${rawRate.toFixed(0)} rows/s`,
  );

  const ratio = (rate: number) => `${(rate / rawRate).toFixed(2)}×`;
  console.log(`rows/s, and as a ratio to the raw ORT loop (goal for grading ≥ 0.8×):`);
  console.log(`  raw in-process ORT loop        ${rawRate.toFixed(0).padStart(8)}  1.00×`);
  console.log(`  read + decode only, one thread ${decodeRate.toFixed(0).padStart(8)}  ${ratio(decodeRate)}`);
  for (const [workers, rate] of rates) {
    const label =
      workers === 0
        ? 'grading, decode on its thread '
        : `grading, ${workers} decode thread${workers > 1 ? 's' : ' '}     `;
    console.log(`  ${label} ${rate.toFixed(0).padStart(8)}  ${ratio(rate)}`);
  }
  await runtime.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
