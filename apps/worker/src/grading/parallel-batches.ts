import { type Readable } from 'node:stream';

import {
  type BatchTensor,
  checkBatchSize,
  checkReadOptions,
  createRowDecoder,
  type DatasetBatch,
  decompressedChunks,
  DEFAULT_MAX_ROW_LENGTH,
  headOf,
  type InputPlan,
  type ReadDatasetOptions,
  RecordSplitter,
  type RecordSlice,
  type RowDecoder,
  type RowDecoderOptions,
  type TensorData,
} from '@fledge/datasets';
import { allocateTensorData } from '@fledge/domain';

import { DecodePool } from './decode-pool.js';

/** A batch whose buffers return to the pool on `release` (call it once the model run is done). */
export interface PooledBatch extends DatasetBatch {
  release(): void;
}

export interface BufferStats {
  /** Batch buffer sets allocated so far (never more than `buffers`). */
  readonly allocated: number;
  /** Sets being filled by a decode thread or held by the consumer. */
  readonly inUse: number;
}

export interface ParallelBatchOptions extends ReadDatasetOptions {
  readonly batchSize: number;
  readonly decoder: RowDecoderOptions;
  /** Decode threads (at least 1). */
  readonly workers: number;
  /**
   * Batch buffer sets: the bound on decoded batches in memory. Default `2 × workers + 2`, which
   * keeps every thread busy while the consumer holds two; a consumer holding every buffer
   * while asking for more is a programming error (thrown). Release a batch after its run.
   */
  readonly buffers?: number;
  readonly onBuffers?: (stats: BufferStats) => void;
}

/** True when rows of this model can be decoded in parallel: numeric inputs of known size. */
export function decodableInParallel(decoder: RowDecoder): boolean {
  return decoder.inputs.every((p) => p.elements !== -1 && p.datatype !== 'BYTES');
}

interface Slot {
  readonly inputs: TensorData[];
  readonly labels?: Int32Array | Float64Array;
  busy: boolean;
}

interface Pending {
  readonly slot: Slot;
  readonly result: Promise<PooledBatch>;
}

/** Zeroed storage for `length` elements of a numeric datatype, in shared memory. */
function sharedTensorData(datatype: InputPlan['datatype'], length: number): TensorData {
  const ctor = allocateTensorData(datatype, 0).constructor as {
    new (buffer: SharedArrayBuffer): TensorData;
    BYTES_PER_ELEMENT: number;
  };
  return new ctor(new SharedArrayBuffer(Math.max(1, length) * ctor.BYTES_PER_ELEMENT));
}

/**
 * The batches of `readDatasetBatches` (same rows, values, row numbers, errors, in order), with
 * the rows parsed and decoded in worker threads. This thread only finds record boundaries in
 * the bytes and passes slices on. Batches are written into a bounded pool of shared buffers
 * that the model runtime reads in place (no copy on the way to ORT); a buffer returns to the
 * pool on `release`, and with none free the stream is not read further (backpressure from the
 * consumer to the source). Stopping early (or an error) terminates the threads.
 */
export async function* readDatasetBatchesInParallel(
  source: Readable | AsyncIterable<unknown>,
  options: ParallelBatchOptions,
): AsyncGenerator<PooledBatch> {
  const skipRows = checkReadOptions(options);
  const batchSize = checkBatchSize(options.batchSize);
  const decoder = createRowDecoder(options.decoder);
  if (!decodableInParallel(decoder)) throw new Error('this model needs the single-threaded reader');
  const plans = decoder.inputs;
  const maxBuffers = options.buffers ?? 2 * options.workers + 2;
  const slots: Slot[] = [];
  let inUse = 0;
  const report = () => options.onBuffers?.({ allocated: slots.length, inUse });
  const acquire = (): Slot | undefined => {
    let slot = slots.find((s) => !s.busy);
    if (!slot && slots.length < maxBuffers) {
      slot = {
        inputs: plans.map((p) => sharedTensorData(p.datatype, p.elements * batchSize)),
        ...(decoder.hasLabels
          ? {
              labels:
                decoder.task === 'classification'
                  ? new Int32Array(new SharedArrayBuffer(batchSize * 4))
                  : new Float64Array(new SharedArrayBuffer(batchSize * 8)),
            }
          : {}),
        busy: false,
      };
      slots.push(slot);
    }
    if (!slot) return undefined;
    slot.busy = true;
    inUse++;
    report();
    return slot;
  };
  const release = (slot: Slot) => {
    if (!slot.busy) return;
    slot.busy = false;
    inUse--;
    report();
  };

  const splitter = new RecordSplitter({
    format: options.format,
    rowsPerSlice: batchSize,
    skipRows,
    maxRowLength: options.maxRowLength ?? DEFAULT_MAX_ROW_LENGTH,
  });
  const chunks = decompressedChunks(source, { compression: options.compression })[Symbol.asyncIterator]();
  let pool: DecodePool | undefined;
  const ready: RecordSlice[] = [];
  const pending: Pending[] = [];
  let exhausted = false;
  let deferred: { error: unknown } | undefined;

  const dispatch = (slice: RecordSlice, slot: Slot): Pending => {
    pool ??= new DecodePool(options.workers, {
      format: options.format,
      decoder: options.decoder,
      ...(splitter.header ? { header: splitter.header } : {}),
    });
    const result = pool.decode(slice, slot.inputs, slot.labels).then((decoded): PooledBatch => {
      const inputs: Record<string, BatchTensor> = {};
      plans.forEach((plan, p) => {
        inputs[plan.name] = {
          name: plan.name,
          datatype: plan.datatype,
          shape: [decoded.rows, ...plan.rowShape],
          data: headOf(slot.inputs[p], decoded.rows * plan.elements),
        };
      });
      return {
        inputs,
        ...(slot.labels ? { labels: headOf(slot.labels, decoded.rows) as Int32Array | Float64Array } : {}),
        firstRow: decoded.firstRow,
        lastRow: decoded.lastRow,
        rowCount: decoded.rows,
        release: () => release(slot),
      };
    });
    // Awaited in order below; this only keeps a failure of a later slice from being unhandled.
    result.catch(() => undefined);
    return { slot, result };
  };

  try {
    for (;;) {
      // Fill every free buffer, reading the source only as far as that needs.
      while (ready.length > 0 || (!exhausted && !deferred)) {
        if (ready.length === 0) {
          try {
            const next = await chunks.next();
            if (next.done) {
              exhausted = true;
              splitter.end(ready);
            } else {
              splitter.push(next.value, ready);
            }
          } catch (error) {
            // Delivered after the batches before it, as the single-threaded reader does.
            deferred = { error };
          }
          continue;
        }
        const slot = acquire();
        if (!slot) break;
        pending.push(dispatch(ready.shift()!, slot));
      }
      const next = pending.shift();
      if (!next) {
        if (deferred) throw deferred.error;
        if (ready.length === 0) return;
        throw new Error(`every batch buffer (${maxBuffers}) is held by the consumer: release batches once used`);
      }
      let batch: PooledBatch;
      try {
        batch = await next.result;
      } catch (error) {
        release(next.slot);
        throw error;
      }
      yield batch;
    }
  } finally {
    await chunks.return?.(undefined);
    await pool?.close();
  }
}
