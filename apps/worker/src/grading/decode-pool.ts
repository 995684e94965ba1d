import { availableParallelism } from 'node:os';
import { type Worker } from 'node:worker_threads';

import { type DecodedSlice, type RecordSlice, type TensorData } from '@fledge/datasets';
import { errorOfWire, invalidArgument } from '@fledge/errors';
import { startWorker, workerModuleUrl } from '@fledge/inference';

import { type DecodeReply, type DecodeRequest, type DecodeWorkerData } from './decode-protocol.js';

const workerUrl = workerModuleUrl('decode-worker', import.meta.url);

/** Most decode threads accepted: more than the cores only adds contention. */
export const MAX_DECODE_WORKERS = 64;

/**
 * Decode threads for grading: the cores left after ORT's own threads (at least one). On two
 * cores with ORT on one thread, that is one.
 */
export function defaultDecodeWorkers(ortThreads = 1): number {
  return Math.max(1, Math.min(MAX_DECODE_WORKERS, availableParallelism() - ortThreads));
}

/** 0 decodes on the calling thread; 1..MAX_DECODE_WORKERS in that many threads. */
export function checkDecodeWorkers(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_DECODE_WORKERS) {
    throw invalidArgument(
      `decodeWorkers must be an integer from 0 (decode on the grading thread) to ${MAX_DECODE_WORKERS}, got ${value}`,
      { reason: 'GRADING_DECODE_WORKERS_INVALID' },
    );
  }
  return value;
}

interface Task {
  resolve: (decoded: DecodedSlice) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  tasks: Map<number, Task>;
}

/**
 * A fixed set of decode threads. A slice goes to the thread with the fewest slices in flight;
 * its bytes are transferred, the batch buffers shared. A thread that dies fails its slices and
 * the pool (grading stops with that error; the activity's retry starts a new pool). Written here,
 * like the runtime's InferencePool, rather than taken from a pool library: it is one message
 * and one reply per slice over a fixed set of threads, and a library would not remove the
 * shared-buffer and ordering logic, which lives in the caller.
 */
export class DecodePool {
  private readonly threads: Thread[] = [];
  private nextId = 1;
  private failure?: Error;
  private closing = false;

  constructor(size: number, data: DecodeWorkerData) {
    for (let i = 0; i < size; i++) this.threads.push(this.start(data));
  }

  get size(): number {
    return this.threads.length;
  }

  decode(slice: RecordSlice, inputs: TensorData[], labels?: Int32Array | Float64Array): Promise<DecodedSlice> {
    if (this.failure) return Promise.reject(this.failure);
    let thread = this.threads[0];
    for (const t of this.threads) if (t.tasks.size < thread.tasks.size) thread = t;
    const id = this.nextId++;
    return new Promise<DecodedSlice>((resolve, reject) => {
      thread.tasks.set(id, { resolve, reject });
      const request: DecodeRequest = { id, slice, inputs, ...(labels ? { labels } : {}) };
      thread.worker.postMessage(request, [slice.bytes.buffer as ArrayBuffer]);
    });
  }

  /** Stops every thread (pending slices fail); resolves once all have exited. */
  async close(): Promise<void> {
    this.closing = true;
    this.fail(new Error('the decode pool is closed'));
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private start(data: DecodeWorkerData): Thread {
    const worker = startWorker(workerUrl, { workerData: data });
    const thread: Thread = { worker, tasks: new Map() };
    worker.on('message', (reply: DecodeReply) => {
      const task = thread.tasks.get(reply.id);
      if (!task) return;
      thread.tasks.delete(reply.id);
      if (reply.ok) task.resolve(reply);
      else task.reject(errorOfWire(reply.error));
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`a decode thread exited (code ${code})`));
    });
    return thread;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const thread of this.threads) {
      for (const task of thread.tasks.values()) task.reject(this.failure);
      thread.tasks.clear();
    }
  }
}
