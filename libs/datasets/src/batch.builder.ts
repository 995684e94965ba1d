import { invalidArgument } from '@fledge/errors';

import { type DatasetRow } from './dataset.types.js';
import { type RowDecoder } from './row.decoder.js';
import { allocateTensorData, type BatchTensor, headOf, type TensorData } from './tensor.types.js';

export interface BatchOptions {
  readonly batchSize: number;
  /**
   * Writes every batch into the same buffers: no allocation after the first batch, but a batch's
   * arrays are only valid until the next `add` (do not keep them, do not transfer them to a
   * worker). Off by default: each batch gets its own arrays, so batches may be queued or
   * transferred, and memory stays flat all the same.
   */
  readonly reuseBuffers?: boolean;
}

export interface DatasetBatch {
  /** Per model input, shaped `[rowCount, ...non-batch dims]`. */
  readonly inputs: Record<string, BatchTensor>;
  /** Class indices (classification) or targets (regression); absent without a label column. */
  readonly labels?: Int32Array | Float64Array;
  /** Row number of the first row (1-based data rows); the batch holds consecutive rows. */
  readonly firstRow: number;
  readonly lastRow: number;
  readonly rowCount: number;
}

interface Buffers {
  readonly inputs: TensorData[];
  readonly labels?: Int32Array | Float64Array;
}

/** Accumulates decoded rows into typed arrays of up to `batchSize` rows. */
export class BatchBuilder {
  private readonly batchSize: number;
  private readonly reuse: boolean;
  private buffers?: Buffers;
  private count = 0;
  private firstRow = 0;
  private lastRow = 0;
  private resolved = false;

  constructor(
    private readonly decoder: RowDecoder,
    options: BatchOptions,
  ) {
    this.batchSize = checkBatchSize(options.batchSize);
    this.reuse = options.reuseBuffers ?? false;
  }

  /** Rows waiting in the current, unfinished batch. */
  get pending(): number {
    return this.count;
  }

  /** Adds a row; returns the batch it completes, if any. */
  add(row: DatasetRow): DatasetBatch | undefined {
    if (!this.resolved) {
      this.decoder.resolve(row);
      this.resolved = true;
    }
    const buffers = (this.buffers ??= this.allocate());
    const slot = this.count;
    this.decoder.writeInputs(row, buffers.inputs, slot);
    if (buffers.labels) buffers.labels[slot] = this.decoder.label(row);
    if (slot === 0) this.firstRow = row.rowNumber;
    this.lastRow = row.rowNumber;
    this.count++;
    return this.count === this.batchSize ? this.take() : undefined;
  }

  /** The last, partial batch (if any rows are pending). */
  flush(): DatasetBatch | undefined {
    return this.count > 0 ? this.take() : undefined;
  }

  private allocate(): Buffers {
    const inputs = this.decoder.inputs.map((p) => allocateTensorData(p.datatype, p.elements * this.batchSize));
    if (!this.decoder.hasLabels) return { inputs };
    const labels =
      this.decoder.task === 'classification' ? new Int32Array(this.batchSize) : new Float64Array(this.batchSize);
    return { inputs, labels };
  }

  private take(): DatasetBatch {
    const buffers = this.buffers!;
    const rows = this.count;
    const inputs: Record<string, BatchTensor> = {};
    this.decoder.inputs.forEach((plan, p) => {
      inputs[plan.name] = {
        name: plan.name,
        datatype: plan.datatype,
        shape: [rows, ...plan.rowShape],
        data: headOf(buffers.inputs[p], rows * plan.elements),
      };
    });
    const batch: DatasetBatch = {
      inputs,
      ...(buffers.labels ? { labels: headOf(buffers.labels, rows) as Int32Array | Float64Array } : {}),
      firstRow: this.firstRow,
      lastRow: this.lastRow,
      rowCount: rows,
    };
    this.count = 0;
    if (!this.reuse) this.buffers = undefined;
    return batch;
  }
}

export function checkBatchSize(batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw invalidArgument(`batchSize must be a positive integer, got ${batchSize}`, { reason: 'BATCH_SIZE_INVALID' });
  }
  return batchSize;
}
