import { performance } from 'node:perf_hooks';

import { FledgeError } from '@fledge/errors';
import { concatBatch, type ModelRuntime, type NamedTensor, type RunPriority, splitBatch } from '@fledge/inference';

export interface BatchingOptions {
  /** Rows per run; 1 disables batching. */
  maxBatchSize: number;
  /** How long the oldest request may wait for more to join; 0 = batch only what queued while the worker was busy. */
  maxQueueDelayUs: number;
  /** Requests waiting beyond this are refused at once with UNAVAILABLE (503). */
  maxQueueSize: number;
}

export const defaultBatching: BatchingOptions = { maxBatchSize: 32, maxQueueDelayUs: 0, maxQueueSize: 512 };

export interface BatchResult {
  outputs: NamedTensor[];
  queueMs: number;
  batchRows: number;
}

export interface BatchObserver {
  onBatch(rows: number, requests: number): void;
}

interface Pending {
  inputs: readonly NamedTensor[];
  rows: number;
  enqueuedAt: number;
  resolve: (r: BatchResult) => void;
  reject: (e: unknown) => void;
}

/**
 * Per-variant request queue in front of the model runtime (Triton-style dynamic batching).
 * Requests that arrive while the worker is busy are stacked along the batch dimension into one
 * run, so throughput rises with load while an idle server adds no delay.
 */
export class DynamicBatcher {
  private queue: Pending[] = [];
  private queuedRows = 0;
  private scheduled = false;
  private waitingForCapacity = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly runtime: ModelRuntime,
    private readonly modelKey: string,
    private readonly options: BatchingOptions,
    private readonly priority: RunPriority = 'normal',
    private readonly observer?: BatchObserver,
  ) {}

  get queued(): number {
    return this.queue.length;
  }

  submit(inputs: readonly NamedTensor[], rows: number): Promise<BatchResult> {
    if (this.queue.length >= this.options.maxQueueSize) {
      return Promise.reject(
        new FledgeError('UNAVAILABLE', 'the variant queue is full; retry later', { reason: 'QUEUE_FULL' }),
      );
    }
    return new Promise<BatchResult>((resolve, reject) => {
      this.queue.push({ inputs, rows, enqueuedAt: performance.now(), resolve, reject });
      this.queuedRows += rows;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // After the current I/O phase: every request parsed in this loop turn joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0) {
      const full = this.queuedRows >= this.options.maxBatchSize;
      if (!this.runtime.hasCapacity(this.priority)) {
        if (!this.waitingForCapacity) {
          this.waitingForCapacity = true;
          this.runtime.onCapacity(() => {
            this.waitingForCapacity = false;
            this.flush();
          });
        }
        return;
      }
      if (!full && this.options.maxQueueDelayUs > 0) {
        const waitedUs = (performance.now() - this.queue[0].enqueuedAt) * 1000;
        if (waitedUs < this.options.maxQueueDelayUs) {
          if (!this.timer) {
            const ms = Math.max(1, Math.ceil((this.options.maxQueueDelayUs - waitedUs) / 1000));
            this.timer = setTimeout(() => {
              this.timer = undefined;
              this.flush();
            }, ms);
          }
          return;
        }
      }
      this.dispatch(this.take());
    }
  }

  private take(): Pending[] {
    const batch: Pending[] = [];
    let rows = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0];
      if (batch.length > 0 && rows + next.rows > this.options.maxBatchSize) break;
      batch.push(next);
      rows += next.rows;
      this.queue.shift();
      this.queuedRows -= next.rows;
    }
    return batch;
  }

  private dispatch(batch: Pending[]): void {
    const started = performance.now();
    const rows = batch.reduce((n, p) => n + p.rows, 0);
    this.observer?.onBatch(rows, batch.length);
    let inputs: NamedTensor[];
    try {
      inputs = concatBatch(batch.map((p) => p.inputs));
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    this.runtime.run(this.modelKey, inputs, { priority: this.priority, transferInputs: batch.length > 1 }).then(
      (outputs) => {
        const parts = splitBatch(
          outputs,
          batch.map((p) => p.rows),
        );
        batch.forEach((p, i) => p.resolve({ outputs: parts[i], queueMs: started - p.enqueuedAt, batchRows: rows }));
      },
      (error: unknown) => {
        // One bad request must not fail its batch-mates: rerun them one by one.
        if (batch.length > 1 && FledgeError.is(error) && error.reason === 'MODEL_RUN_FAILED') {
          for (const p of batch) this.dispatch([p]);
          return;
        }
        for (const p of batch) p.reject(error);
      },
    );
  }
}
