import { FledgeError } from '@fledge/errors';
import {
  type ModelRuntime,
  type RunPriority,
  type WireInferBody,
  type WireInferOptions,
  type WireInferResult,
} from '@fledge/inference';

import { RunCost } from './run-cost.js';

export interface BatchingOptions {
  /** Rows per run at most; 1 disables batching. The measured run time may lower it (see RunCost). */
  maxBatchSize: number;
  /**
   * Under load, how long a partial batch may wait for more requests while a worker is idle; 0 =
   * batch only what queued while the variant's previous batch ran. A request that finds its
   * variant idle never waits.
   */
  maxQueueDelayUs: number;
  /** Requests waiting beyond this are refused at once with UNAVAILABLE (503). */
  maxQueueSize: number;
}

export const defaultBatching: BatchingOptions = { maxBatchSize: 32, maxQueueDelayUs: 0, maxQueueSize: 512 };

/** A request body's answer from its inference thread. */
export interface BatchAnswer {
  result: WireInferResult;
  /** The buffer the result's bytes are in (`result.offset`, `result.length`). */
  responses: ArrayBuffer;
  /** Time the request waited in the variant's queue before its batch left for a worker. */
  queueMs: number;
}

export interface BatchObserver {
  /** Each model run of the variant: rows stacked and its duration. */
  onRun(rows: number, ms: number): void;
}

interface Pending {
  body: WireInferBody;
  enqueuedAt: number;
  resolve: (a: BatchAnswer) => void;
  reject: (e: unknown) => void;
}

/**
 * Per-variant queue of request bodies in front of the inference threads. A request that finds
 * the variant idle leaves at once, alone: no batching delay without load. While a batch runs,
 * arrivals queue and leave together when it is done, so batches form only under load and grow
 * with it; their size is capped by what the model's measured run time says is worth stacking
 * (RunCost) and by `maxBatchSize`. A full batch is sent ahead while another runs, to keep the
 * thread busy. The bodies are not read here: decoding, stacking and encoding happen in the thread.
 */
export class DynamicBatcher {
  private queue: Pending[] = [];
  private head = 0;
  private inFlight = 0;
  private waitingForCapacity = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly cost = new RunCost();
  private rowsPerRequest = 1;

  constructor(
    private readonly runtime: ModelRuntime,
    private readonly modelKey: string,
    private readonly options: BatchingOptions,
    private readonly infer: Omit<WireInferOptions, 'maxBatchRows'>,
    private readonly priority: RunPriority = 'normal',
    private readonly observer?: BatchObserver,
  ) {}

  /** Requests waiting for a worker (not yet sent). */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Rows one run may stack now (measured run time within `maxBatchSize`). */
  get batchRows(): number {
    return this.cost.batchRows(this.options.maxBatchSize);
  }

  submit(body: WireInferBody): Promise<BatchAnswer> {
    if (this.queued >= this.options.maxQueueSize) {
      return Promise.reject(
        new FledgeError('UNAVAILABLE', 'the variant queue is full; retry later', { reason: 'QUEUE_FULL' }),
      );
    }
    return new Promise<BatchAnswer>((resolve, reject) => {
      this.queue.push({ body, enqueuedAt: performance.now(), resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queued > 0) {
      if (!this.runtime.hasCapacity(this.priority)) {
        if (!this.waitingForCapacity) {
          this.waitingForCapacity = true;
          this.runtime.onCapacity(() => {
            this.waitingForCapacity = false;
            this.pump();
          });
        }
        return;
      }
      const limit = Math.max(1, Math.floor(this.batchRows / this.rowsPerRequest));
      if (this.inFlight > 0 && this.queued < limit) {
        // Under load: a partial batch goes only to an idle thread, and may wait for more first.
        if (!this.runtime.hasCapacity('background')) return;
        if (this.holdForMore()) return;
      }
      this.dispatch(this.take(limit));
    }
  }

  /** With a configured delay, keeps a partial batch waiting (timer set) until its oldest request is that old. */
  private holdForMore(): boolean {
    const delayUs = this.options.maxQueueDelayUs;
    if (delayUs <= 0) return false;
    const waitedUs = (performance.now() - this.queue[this.head].enqueuedAt) * 1000;
    if (waitedUs >= delayUs) return false;
    this.timer ??= setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, Math.ceil((delayUs - waitedUs) / 1000)),
    );
    return true;
  }

  private take(limit: number): Pending[] {
    const end = Math.min(this.queue.length, this.head + limit);
    const batch = this.queue.slice(this.head, end);
    this.head = end;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  private dispatch(batch: Pending[]): void {
    const sent = performance.now();
    this.inFlight++;
    this.runtime
      .infer(
        this.modelKey,
        batch.map((p) => p.body),
        { ...this.infer, maxBatchRows: this.batchRows },
        { priority: this.priority },
      )
      .then(
        (reply) => {
          for (const r of reply.runs) {
            this.cost.observe(r.rows, r.ms);
            this.observer?.onRun(r.rows, r.ms);
          }
          batch.forEach((p, i) => {
            const result = reply.results[i];
            if (result.ok) this.rowsPerRequest = this.rowsPerRequest * 0.9 + result.rows * 0.1;
            p.resolve({ result, responses: reply.responses, queueMs: sent - p.enqueuedAt });
          });
        },
        (error: unknown) => {
          for (const p of batch) p.reject(error);
        },
      )
      .finally(() => {
        this.inFlight--;
        this.pump();
      });
  }
}
