import { type Worker } from 'node:worker_threads';

import { FledgeError } from '@fledge/errors';

import { type ModelSignature, signatureFromMetadata } from './model-signature.js';
import { dataTypeOfOrt, type NamedTensor, ortTypeOf, type TensorData } from './tensor.js';
import {
  type WireInferBody,
  type WireInferOptions,
  type WireInferReply,
  type WireSessionOptions,
  type WireShadowReply,
  type WireShadowRun,
  type WireTensor,
  type WorkerRequest,
  type WorkerResponse,
} from './worker/worker-protocol.js';
import { startWorker, workerModuleUrl } from './worker/worker-thread.js';

export type RunPriority = 'normal' | 'background';

export interface InferencePoolOptions {
  /**
   * Most worker threads, each holding every loaded model. Default 1. None run while no model is
   * loaded; the first load starts one, and another starts (up to this many) only when a run
   * would otherwise wait for a busy thread. Unloading the last model stops them all.
   */
  workers?: number;
  /** Runs posted to one worker before it answers; 2 hides the message round trip. Default 2. */
  maxInFlightPerWorker?: number;
  /** Runs waiting for a worker before `run` fails fast with UNAVAILABLE. Default 1024. */
  maxQueued?: number;
  session?: Partial<WireSessionOptions>;
}

export interface RunOptions {
  /** Background runs (shadow traffic) only go to idle workers and never delay normal runs. */
  priority?: RunPriority;
  /** Hand the inputs' buffers to the worker instead of copying them (they become unusable). */
  transferInputs?: boolean;
}

/**
 * Shadow models to run on an `infer` call's decoded requests once its primary has answered (see
 * WireShadowRun); `settle` hears their replies, or the error that stopped them.
 */
export interface ShadowRuns {
  runs: WireShadowRun[];
  settle(answer: WireShadowReply[] | Error): void;
}

export interface InferRunOptions extends Pick<RunOptions, 'priority'> {
  shadows?: ShadowRuns;
}

export interface InferencePoolStats {
  workers: number;
  readyWorkers: number;
  inFlight: number;
  queued: number;
  restarts: number;
  models: number;
}

interface Task {
  id: number;
  message: WorkerRequest;
  transfer: ArrayBuffer[];
  resolve: (r: WorkerResponse & { ok: true }) => void;
  reject: (e: Error) => void;
  /** An `infer` with shadows stays in flight after its answer, until their reply. */
  shadows?: ShadowRuns;
}

/** Fails a task: its answer if still pending, and its shadows. */
function fail(task: Task, error: Error): void {
  task.reject(error);
  task.shadows?.settle(error);
}

interface Slot {
  worker: Worker;
  ready: boolean;
  inFlight: Map<number, Task>;
}

interface LoadedEntry {
  path: string;
  signature: Promise<ModelSignature>;
}

const workerUrl = workerModuleUrl('worker/ort-worker', import.meta.url);

class TaskQueue {
  private items: Task[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(t: Task): void {
    this.items.push(t);
  }
  shift(): Task | undefined {
    if (this.head >= this.items.length) return undefined;
    const t = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return t;
  }
  drain(): Task[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}

/**
 * Worker threads that own onnxruntime sessions. `run` is asynchronous for the caller and
 * synchronous inside a worker; a dead worker is replaced and its models are reloaded. Threads
 * start lazily: each one loads onnxruntime (about 15 MiB resident), which an idle process with no
 * endpoints should not pay.
 */
export class InferencePool {
  private readonly slots: Slot[] = [];
  private readonly models = new Map<string, LoadedEntry>();
  private readonly normal = new TaskQueue();
  private readonly background = new TaskQueue();
  private readonly capacityWaiters = new Set<() => void>();
  private readonly recoveryWaiters: { restarts: number; resolve: () => void }[] = [];
  private readonly maxWorkers: number;
  private readonly depth: number;
  private readonly maxQueued: number;
  private readonly session: WireSessionOptions;
  private nextId = 1;
  private restarts = 0;
  private closed = false;

  constructor(options: InferencePoolOptions = {}) {
    this.maxWorkers = Math.max(1, options.workers ?? 1);
    this.depth = Math.max(1, options.maxInFlightPerWorker ?? 2);
    this.maxQueued = options.maxQueued ?? 1024;
    this.session = {
      intraOpNumThreads: options.session?.intraOpNumThreads ?? 1,
      interOpNumThreads: options.session?.interOpNumThreads ?? 1,
      graphOptimizationLevel: options.session?.graphOptimizationLevel ?? 'all',
    };
  }

  /** Loads a model file into every worker under `key` (idempotent) and returns its signature. */
  load(key: string, path: string): Promise<ModelSignature> {
    const existing = this.models.get(key);
    if (existing) return existing.signature;
    if (this.closed) return Promise.reject(unavailable('the inference pool is closed', 'POOL_CLOSED'));
    if (this.slots.length === 0) this.slots.push(this.spawn());
    const signature = Promise.all(this.slots.map((s) => this.loadInto(s, key, path))).then((sigs) => sigs[0]);
    this.models.set(key, { path, signature });
    signature.catch(() => {
      if (this.models.get(key)?.signature === signature) this.models.delete(key);
    });
    return signature;
  }

  async unload(key: string): Promise<void> {
    if (!this.models.delete(key)) return;
    // A worker answers in order, so once it acknowledges the unload its earlier runs have answered.
    await Promise.all(this.slots.map((s) => this.send(s, { id: 0, op: 'unload', key }, []).catch(() => undefined)));
    if (this.models.size === 0 && !this.closed) {
      // Nothing left to run: stop the threads rather than keep onnxruntime resident while idle.
      for (const t of [...this.normal.drain(), ...this.background.drain()]) fail(t, notLoaded(t.message));
      await Promise.all(this.slots.splice(0).map((s) => this.retire(s)));
    }
  }

  isLoaded(key: string): boolean {
    return this.models.has(key);
  }

  run(key: string, inputs: readonly NamedTensor[], options: RunOptions = {}): Promise<NamedTensor[]> {
    if (this.closed) return Promise.reject(unavailable('the inference pool is closed', 'POOL_CLOSED'));
    if (!this.models.has(key)) return Promise.reject(notLoaded({ key }));
    const queue = options.priority === 'background' ? this.background : this.normal;
    if (queue.length >= this.maxQueued) {
      return Promise.reject(unavailable('the inference queue is full', 'QUEUE_FULL'));
    }
    const transfer: ArrayBuffer[] = [];
    const wire: WireTensor[] = inputs.map((t) => {
      if (options.transferInputs && !Array.isArray(t.data)) {
        const view = t.data as ArrayBufferView;
        if (
          view.buffer instanceof ArrayBuffer &&
          view.byteOffset === 0 &&
          view.byteLength === view.buffer.byteLength &&
          !transfer.includes(view.buffer)
        ) {
          transfer.push(view.buffer);
        }
      }
      return { name: t.name, type: ortTypeOf(t.datatype), dims: t.shape, data: t.data as ArrayBufferView };
    });
    return this.enqueue(queue, (id) => ({ id, op: 'run', key, inputs: wire }), transfer).then((r) =>
      (r.outputs ?? []).map(fromWire),
    );
  }

  /**
   * Answers request bodies to one model in a worker (decode, validate, batch, run, encode; see
   * inferBodies). The bodies' buffers are transferred: the caller must own them whole.
   */
  infer(
    key: string,
    bodies: readonly WireInferBody[],
    options: WireInferOptions,
    runOptions: InferRunOptions = {},
  ): Promise<WireInferReply> {
    const refused = this.closed
      ? unavailable('the inference pool is closed', 'POOL_CLOSED')
      : !this.models.has(key)
        ? notLoaded({ key })
        : undefined;
    const queue = runOptions.priority === 'background' ? this.background : this.normal;
    const error =
      refused ??
      (queue.length >= this.maxQueued ? unavailable('the inference queue is full', 'QUEUE_FULL') : undefined);
    if (error) {
      runOptions.shadows?.settle(error);
      return Promise.reject(error);
    }
    const transfer: ArrayBuffer[] = [];
    for (const b of bodies) {
      if (b.body.buffer instanceof ArrayBuffer && !transfer.includes(b.body.buffer)) transfer.push(b.body.buffer);
    }
    const shadows = runOptions.shadows && runOptions.shadows.runs.length > 0 ? runOptions.shadows : undefined;
    return this.enqueue(
      queue,
      (id) => ({ id, op: 'infer', key, bodies: [...bodies], options, ...(shadows ? { shadows: shadows.runs } : {}) }),
      transfer,
      shadows,
    ).then((r) => r.infer!);
  }

  private enqueue(
    queue: TaskQueue,
    message: (id: number) => WorkerRequest,
    transfer: ArrayBuffer[],
    shadows?: ShadowRuns,
  ): Promise<WorkerResponse & { ok: true }> {
    return new Promise<WorkerResponse & { ok: true }>((resolve, reject) => {
      const id = this.nextId++;
      queue.push({ id, message: message(id), transfer, resolve, reject, ...(shadows ? { shadows } : {}) });
      this.pump();
    });
  }

  /** True when a run of this priority would start on a worker now instead of waiting. */
  hasCapacity(priority: RunPriority = 'normal'): boolean {
    if (priority === 'normal' && this.normal.length > 0) return false;
    for (const s of this.slots) {
      if (!s.ready) continue;
      if (priority === 'normal' ? s.inFlight.size < this.depth : s.inFlight.size === 0) return true;
    }
    return false;
  }

  /** Calls `cb` once, the next time a worker slot frees up. */
  onCapacity(cb: () => void): void {
    this.capacityWaiters.add(cb);
  }

  stats(): InferencePoolStats {
    let inFlight = 0;
    for (const s of this.slots) inFlight += s.inFlight.size;
    return {
      workers: this.slots.length,
      readyWorkers: this.slots.filter((s) => s.ready).length,
      inFlight,
      queued: this.normal.length + this.background.length,
      restarts: this.restarts,
      models: this.models.size,
    };
  }

  /**
   * Resolves once `restarts` dead threads have been replaced in all and every thread is ready
   * (its models reloaded): recovery is observed as an event, not by polling.
   */
  whenRecovered(restarts: number): Promise<void> {
    return new Promise((resolve) => {
      this.recoveryWaiters.push({ restarts, resolve });
      this.notifyRecovered();
    });
  }

  private notifyRecovered(): void {
    if (!this.slots.every((s) => s.ready)) return;
    for (let i = this.recoveryWaiters.length - 1; i >= 0; i--) {
      const waiter = this.recoveryWaiters[i];
      if (this.restarts >= waiter.restarts) {
        this.recoveryWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /**
   * Makes worker `index` exit abruptly, as a crashing native call would (recovery tests); with
   * `midBatch`, while it works on the next batch of request bodies it receives.
   */
  crashWorkerForTesting(index = 0, options: { midBatch?: boolean } = {}): void {
    const slot = this.slots[index];
    slot?.worker.postMessage({ id: 0, op: 'crash', midBatch: options.midBatch } satisfies WorkerRequest);
  }

  async close(): Promise<void> {
    this.closed = true;
    const error = unavailable('the inference pool is closed', 'POOL_CLOSED');
    for (const t of [...this.normal.drain(), ...this.background.drain()]) fail(t, error);
    await Promise.all(this.slots.splice(0).map((s) => this.retire(s, error)));
  }

  private async retire(slot: Slot, error?: Error): Promise<void> {
    for (const t of slot.inFlight.values()) fail(t, error ?? notLoaded(t.message));
    slot.inFlight.clear();
    await slot.worker.terminate();
  }

  private spawn(): Slot {
    const worker = startWorker(workerUrl);
    const slot: Slot = { worker, ready: false, inFlight: new Map() };
    worker.on('message', (msg: WorkerResponse) => this.onMessage(slot, msg));
    worker.on('error', () => undefined);
    worker.on('exit', () => this.onExit(slot));
    const reloads = [...this.models.entries()].map(([key, m]) => this.loadInto(slot, key, m.path));
    Promise.allSettled(reloads).then(() => {
      slot.ready = true;
      this.pump();
      this.notifyRecovered();
    });
    return slot;
  }

  private onExit(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (this.closed || index < 0) return;
    slot.ready = false;
    const error = unavailable('the inference worker stopped while running this request', 'WORKER_DIED');
    for (const t of slot.inFlight.values()) fail(t, error);
    slot.inFlight.clear();
    this.restarts++;
    this.slots[index] = this.spawn();
  }

  private onMessage(slot: Slot, msg: WorkerResponse): void {
    const task = slot.inFlight.get(msg.id);
    if (!task) return;
    if (msg.ok && msg.infer && task.shadows) {
      // Answered; the thread now runs the shadows (the task stays in flight until they reply).
      task.resolve(msg);
      return;
    }
    slot.inFlight.delete(msg.id);
    if (msg.ok && msg.shadows) task.shadows?.settle(msg.shadows);
    else if (msg.ok) task.resolve(msg);
    else
      fail(
        task,
        new FledgeError('INTERNAL', `the model failed to run: ${msg.message}`, { reason: 'MODEL_RUN_FAILED' }),
      );
    this.pump();
  }

  private async loadInto(slot: Slot, key: string, path: string): Promise<ModelSignature> {
    const r = await this.send(slot, { id: 0, op: 'load', key, path, options: this.session }, []);
    return signatureFromMetadata(r.inputs ?? [], r.outputMeta ?? []);
  }

  /** Control messages bypass the run queues: they go straight to the worker. */
  private send(slot: Slot, message: WorkerRequest, transfer: ArrayBuffer[]): Promise<WorkerResponse & { ok: true }> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const task: Task = { id, message: { ...message, id }, transfer, resolve, reject };
      slot.inFlight.set(id, task);
      slot.worker.postMessage(task.message, transfer);
    }).catch((error: unknown) => {
      if (error instanceof FledgeError && error.reason === 'MODEL_RUN_FAILED') {
        throw new FledgeError(
          'INVALID_ARGUMENT',
          `the model cannot be loaded: ${error.message.replace(/^the model failed to run: /, '')}`,
          {
            reason: 'MODEL_UNLOADABLE',
          },
        );
      }
      throw error;
    }) as Promise<WorkerResponse & { ok: true }>;
  }

  private pump(): void {
    let freed = false;
    while (this.normal.length > 0) {
      const slot = this.pick(this.depth);
      if (!slot) break;
      this.post(slot, this.normal.shift()!);
    }
    // Runs wait although every thread is busy: one more thread (it reloads the models first).
    if (this.normal.length > 0 && this.slots.length < this.maxWorkers && this.slots.every((s) => s.ready)) {
      this.slots.push(this.spawn());
    }
    while (this.background.length > 0 && this.normal.length === 0) {
      const slot = this.pick(1);
      if (!slot) break;
      this.post(slot, this.background.shift()!);
    }
    for (const s of this.slots) if (s.ready && s.inFlight.size < this.depth) freed = true;
    if (freed && this.capacityWaiters.size > 0) {
      const waiters = [...this.capacityWaiters];
      this.capacityWaiters.clear();
      for (const cb of waiters) cb();
    }
  }

  private pick(limit: number): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) {
      if (s.ready && s.inFlight.size < limit && (!best || s.inFlight.size < best.inFlight.size)) best = s;
    }
    return best;
  }

  private post(slot: Slot, task: Task): void {
    slot.inFlight.set(task.id, task);
    slot.worker.postMessage(task.message, task.transfer);
  }
}

function fromWire(w: WireTensor): NamedTensor {
  return { name: w.name, datatype: dataTypeOfOrt(w.type), shape: w.dims, data: w.data as TensorData };
}

function notLoaded(message: WorkerRequest | { key: string }): FledgeError {
  return new FledgeError('NOT_FOUND', `model ${'key' in message ? message.key : ''} is not loaded`);
}

function unavailable(message: string, reason: string): FledgeError {
  return new FledgeError('UNAVAILABLE', message, { reason });
}
