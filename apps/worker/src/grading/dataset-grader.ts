import { type Readable } from 'node:stream';

import {
  createRowDecoder,
  readDatasetBatches,
  type CompressionOption,
  type DatasetBatch,
  type RowDecoderOptions,
} from '@fledge/datasets';
import {
  ClassificationAccumulator,
  classRows,
  oneHotRows,
  RegressionAccumulator,
  rowPredictions,
  summarizeLatencies,
  type PredictionSpec,
  type DatasetFormat,
  type ModelSignature,
  type ModelTask,
} from '@fledge/domain';
import { FledgeError, invalidArgument } from '@fledge/errors';
import { type ModelRuntime, type NamedTensor } from '@fledge/inference';
import { type GradeDatasetOutcome, type GradingHeartbeat } from '@fledge/workflows';

import { checkDecodeWorkers } from './decode-pool.js';
import { decodableInParallel, type PooledBatch, readDatasetBatchesInParallel } from './parallel-batches.js';

export interface GradeStreamOptions {
  runtime: ModelRuntime;
  /** The loaded model's key in the runtime. */
  modelKey: string;
  signature: ModelSignature;
  task: ModelTask;
  /** What the model predicts: the output graded and how its scores read (see decidePrediction). */
  prediction: PredictionSpec;
  /** Class names in output order (classification). */
  labels?: readonly string[];
  /** The dataset's bytes, already verified against their sha256. */
  source: Readable | AsyncIterable<unknown>;
  format: DatasetFormat;
  compression: CompressionOption;
  featureColumns: readonly string[];
  labelColumn: string;
  batchSize: number;
  /** The last heartbeat of an earlier attempt: grading resumes after its `lastRow`. */
  resume?: GradingHeartbeat;
  /** Called about every `progressIntervalMs` and after the last batch, with what to heartbeat. */
  onProgress?: (progress: GradingHeartbeat) => void | Promise<void>;
  progressIntervalMs?: number;
  /** Checked between batches; aborting stops the grading with the signal's reason. */
  signal?: AbortSignal;
  /** Runs in flight at once (decoding the next batch overlaps the model run). Default 2. */
  pipelineDepth?: number;
  /**
   * Threads parsing and decoding rows (see defaultDecodeWorkers); 0 (the default) decodes on
   * this thread. Models with text (BYTES) inputs or a dynamic non-batch dimension are decoded on
   * this thread whatever the setting.
   */
  decodeWorkers?: number;
  now?: () => number;
}

const LATENCY_SAMPLE = 4096;

interface InFlight {
  batch: DatasetBatch | PooledBatch;
  started: number;
  result: Promise<NamedTensor[]>;
}

/**
 * The grading loop: dataset batches → the runtime → an incremental accumulator. Memory holds a
 * few batches and the accumulator, whatever the dataset's size. Results are reduced in row order,
 * so `lastRow` in a heartbeat always means "every row up to here is counted".
 */
export async function gradeStream(options: GradeStreamOptions): Promise<GradeDatasetOutcome> {
  const now = options.now ?? (() => performance.now());
  const spec = options.prediction;
  const resume = options.resume;
  const accumulator = resume
    ? restore(resume, options)
    : options.task === 'classification'
      ? new ClassificationAccumulator({ labels: options.labels ?? [] })
      : new RegressionAccumulator();
  const startRow = resume?.lastRow ?? 0;
  let lastRow = startRow;
  let rowsGraded = resume?.rowsGraded ?? 0;
  const priorMs = resume?.gradingMs ?? 0;
  const attempts = (resume?.attempts ?? 0) + 1;
  const began = now();
  const latencies: number[] = [];
  let batches = 0;
  let lastProgress = began;
  const interval = options.progressIntervalMs ?? 1000;
  const depth = options.pipelineDepth ?? 2;

  const progress = (): GradingHeartbeat => ({
    rowsDone: accumulator.count,
    lastRow,
    state: accumulator.toState(),
    attempts,
    rowsGraded,
    gradingMs: priorMs + (now() - began),
  });

  const reduce = async (item: InFlight) => {
    let outputs: NamedTensor[];
    try {
      outputs = await item.result;
    } catch (error) {
      throw runError(error, item.batch);
    }
    const elapsed = now() - item.started;
    // A bounded, evenly thinned sample: every k-th batch once the sample is full.
    if (latencies.length < LATENCY_SAMPLE) latencies.push(elapsed);
    else latencies[batches % LATENCY_SAMPLE] = elapsed;
    batches++;
    const labels = item.batch.labels!;
    try {
      if (accumulator instanceof ClassificationAccumulator) addClassRows(accumulator, spec, outputs, labels);
      else accumulator.add(rowPredictions(spec, outputs).values as Float64Array, labels);
    } catch (error) {
      throw runError(error, item.batch);
    }
    if ('release' in item.batch) item.batch.release();
    lastRow = item.batch.lastRow;
    rowsGraded += item.batch.rowCount;
    const t = now();
    if (options.onProgress && t - lastProgress >= interval) {
      lastProgress = t;
      await options.onProgress(progress());
    }
  };

  const queue: InFlight[] = [];
  const decoder: RowDecoderOptions = {
    inputs: options.signature.inputs,
    featureColumns: options.featureColumns,
    labelColumn: options.labelColumn,
    task: options.task,
    labels: options.labels,
  };
  const workers = checkDecodeWorkers(options.decodeWorkers ?? 0);
  const read = { format: options.format, compression: options.compression, skipRows: startRow };
  // Parallel batches live in shared buffers that ORT reads in place; the others are transferred.
  const parallel = workers > 0 && decodableInParallel(createRowDecoder(decoder));
  const batchStream = parallel
    ? readDatasetBatchesInParallel(options.source, { ...read, batchSize: options.batchSize, decoder, workers })
    : readDatasetBatches(options.source, { ...read, batchSize: options.batchSize, decoder });
  try {
    for await (const batch of batchStream) {
      options.signal?.throwIfAborted();
      const inputs = options.signature.inputs.map((spec) => batch.inputs[spec.name] as NamedTensor);
      queue.push({
        batch,
        started: now(),
        result: options.runtime.run(options.modelKey, inputs, { transferInputs: !parallel }),
      });
      // Settle rejected runs early so an unawaited one never surfaces as an unhandled rejection.
      queue[queue.length - 1].result.catch(() => undefined);
      if (queue.length >= depth) await reduce(queue.shift()!);
    }
    while (queue.length > 0) await reduce(queue.shift()!);
  } finally {
    await batchStream.return(undefined);
  }
  const finalProgress = progress();
  await options.onProgress?.(finalProgress);
  const gradingMs = finalProgress.gradingMs;
  return {
    metrics: accumulator.finalize(),
    rowsDone: accumulator.count,
    throughput: gradingMs > 0 ? accumulator.count / (gradingMs / 1000) : 0,
    latency: {
      ...summarizeLatencies(latencies),
      run: { batchSize: options.batchSize, attempts, resumedFromRow: startRow, rowsGraded, gradingMs },
    },
  };
}

/**
 * Adds a batch of a classifier's rows: the predicted class is the spec's (its label output, or the
 * argmax of its scores), the probabilities its scores (softmax of logits), or all mass on the
 * predicted class for a model that gives labels only.
 */
function addClassRows(
  accumulator: ClassificationAccumulator,
  spec: PredictionSpec,
  outputs: readonly NamedTensor[],
  labels: ArrayLike<number>,
): void {
  const classes = accumulator.labels.length;
  const rows = classRows(spec, outputs);
  const unknown = rows.predicted.indexOf(-1);
  if (unknown >= 0) {
    const value = outputs.find((o) => o.name === spec.output)?.data[unknown];
    throw invalidArgument(
      `the model predicted ${JSON.stringify(String(value))}, which names none of its classes (${accumulator.labels.slice(0, 10).join(', ')})`,
      { reason: 'MODEL_LABELS_MISMATCH' },
    );
  }
  const probabilities = rows.probabilities ?? oneHotRows(rows.predicted, classes);
  if (probabilities.length !== rows.rows * classes) {
    throw invalidArgument(
      `the output ${spec.scoresOutput} scores ${probabilities.length / Math.max(1, rows.rows)} classes, the model declares ${classes}`,
      { reason: 'MODEL_LABELS_MISMATCH' },
    );
  }
  accumulator.addProbabilities(probabilities, labels, spec.kind === 'CLASS_LABEL' ? rows.predicted : undefined);
}

function restore(resume: GradingHeartbeat, options: GradeStreamOptions) {
  if (resume.state.kind !== (options.task === 'classification' ? 'classification' : 'regression')) {
    throw new Error(`the heartbeat holds ${resume.state.kind} state, the model is a ${options.task} model`);
  }
  return resume.state.kind === 'classification'
    ? ClassificationAccumulator.fromState(resume.state)
    : RegressionAccumulator.fromState(resume.state);
}

/** An ORT failure on dataset rows is a property of those rows: not worth retrying. */
function runError(error: unknown, batch: DatasetBatch): Error {
  if (FledgeError.is(error) && (error.reason === 'MODEL_RUN_FAILED' || error.code === 'INVALID_ARGUMENT')) {
    return invalidArgument(`rows ${batch.firstRow}-${batch.lastRow}: ${error.message}`, {
      reason: 'GRADING_RUN_FAILED',
      details: { firstRow: batch.firstRow, lastRow: batch.lastRow },
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}
