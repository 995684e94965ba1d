import { FledgeError } from '@fledge/errors';
import {
  type ModelRuntime,
  type RunPriority,
  type WireInferBody,
  type WireInferOptions,
  type WireInferResult,
  type WireShadowReply,
  type WireShadowRun,
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

/** What became of a request mirrored to a shadow. */
export type MirrorAnswer =
  | { kind: 'answered'; result: WireInferResult }
  /** Not run: the primary's queue was deep (see DynamicBatcher), or the primary refused the request. */
  | { kind: 'dropped' }
  | { kind: 'failed'; error: unknown };

/** A request's copy for a shadow variant: run by `to`'s model in the primary's thread, after the primary. */
export interface Mirror {
  to: DynamicBatcher;
  settle(answer: MirrorAnswer): void;
}

interface Pending {
  body: WireInferBody;
  mirrors: readonly Mirror[];
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
 * Mirrors (shadow samples) ride with their batch: the thread runs the shadow models on the
 * requests it decoded for the primary, after the primary's answers have left; with a full batch
 * or more still queued behind, the batch's mirrors are dropped instead (counted by the caller),
 * so shadows never take the thread from primary traffic that is waiting.
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
    readonly modelKey: string,
    private readonly options: BatchingOptions,
    readonly infer: Omit<WireInferOptions, 'maxBatchRows'>,
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

  /** `mirrors` are settled exactly once each, whatever becomes of the request. */
  submit(body: WireInferBody, mirrors: readonly Mirror[] = []): Promise<BatchAnswer> {
    if (this.queued >= this.options.maxQueueSize) {
      for (const m of mirrors) m.settle({ kind: 'dropped' });
      return Promise.reject(
        new FledgeError('UNAVAILABLE', 'the variant queue is full; retry later', { reason: 'QUEUE_FULL' }),
      );
    }
    return new Promise<BatchAnswer>((resolve, reject) => {
      this.queue.push({ body, mirrors, enqueuedAt: performance.now(), resolve, reject });
      this.pump();
    });
  }

  /** Runs of this variant's model made for another variant's batch (its shadow runs). */
  observeRuns(runs: readonly { rows: number; ms: number }[]): void {
    for (const r of runs) {
      this.cost.observe(r.rows, r.ms);
      this.observer?.onRun(r.rows, r.ms);
    }
  }

  /** The shadow runs of a batch leaving now, grouped by shadow, or none when primary traffic waits behind it. */
  private shadowRuns(batch: Pending[], limit: number): { runs: WireShadowRun[]; mirrors: Mirror[][] } | undefined {
    const byShadow = new Map<DynamicBatcher, { run: WireShadowRun; mirrors: Mirror[] }>();
    batch.forEach((p, i) => {
      for (const m of p.mirrors) {
        let entry = byShadow.get(m.to);
        if (!entry) {
          const options = { ...m.to.infer, maxBatchRows: m.to.batchRows };
          entry = { run: { key: m.to.modelKey, options, bodies: [] }, mirrors: [] };
          byShadow.set(m.to, entry);
        }
        entry.run.bodies.push(i);
        entry.mirrors.push(m);
      }
    });
    if (byShadow.size === 0) return undefined;
    if (this.queued >= limit) {
      for (const { mirrors } of byShadow.values()) for (const m of mirrors) m.settle({ kind: 'dropped' });
      return undefined;
    }
    const entries = [...byShadow.values()];
    return { runs: entries.map((e) => e.run), mirrors: entries.map((e) => e.mirrors) };
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
      this.dispatch(this.take(limit), limit);
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

  private dispatch(batch: Pending[], limit: number): void {
    const sent = performance.now();
    this.inFlight++;
    const shadows = this.shadowRuns(batch, limit);
    this.runtime
      .infer(
        this.modelKey,
        batch.map((p) => p.body),
        { ...this.infer, maxBatchRows: this.batchRows },
        {
          priority: this.priority,
          ...(shadows
            ? {
                shadows: {
                  runs: shadows.runs,
                  settle: (answer: WireShadowReply[] | Error) => settleShadows(shadows, answer),
                },
              }
            : {}),
        },
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

function settleShadows(
  shadows: { runs: WireShadowRun[]; mirrors: Mirror[][] },
  answer: WireShadowReply[] | Error,
): void {
  shadows.mirrors.forEach((mirrors, k) => {
    const reply = answer instanceof Error ? undefined : answer[k];
    if (reply) mirrors[0]?.to.observeRuns(reply.runs);
    mirrors.forEach((m, j) => {
      const result = reply?.results[j];
      if (answer instanceof Error) m.settle({ kind: 'failed', error: answer });
      else if (!result) m.settle({ kind: 'dropped' });
      else m.settle({ kind: 'answered', result });
    });
  });
}
