import { type ModelSignature, warmupInputs } from './model-signature.js';
import { type InferRunOptions, InferencePool, type InferencePoolOptions, type RunOptions } from './inference-pool.js';
import { type NamedTensor } from './tensor.js';
import { type WireInferBody, type WireInferOptions, type WireInferReply } from './worker/worker-protocol.js';

export interface ModelLoadSpec {
  /** Identity of the model's bytes (the artifact's sha256): one session per key, shared by users. */
  key: string;
  /** Local file holding the ONNX model. */
  path: string;
}

export interface LoadedModel {
  key: string;
  signature: ModelSignature;
}

/**
 * The one interface the serving data plane and the grading pipeline run models through: load by
 * key (reference counted), run a batch of named input tensors, release.
 */
export interface ModelRuntime {
  load(spec: ModelLoadSpec): Promise<LoadedModel>;
  run(key: string, inputs: readonly NamedTensor[], options?: RunOptions): Promise<NamedTensor[]>;
  /**
   * Answers OIP request bodies off the calling thread (their buffers are transferred); shadow
   * models in `runOptions.shadows` then answer the same decoded requests.
   */
  infer(
    key: string,
    bodies: readonly WireInferBody[],
    options: WireInferOptions,
    runOptions?: InferRunOptions,
  ): Promise<WireInferReply>;
  release(key: string): Promise<void>;
  /** True when a run would start now (used by dynamic batching to decide when to flush). */
  hasCapacity(priority?: RunOptions['priority']): boolean;
  onCapacity(cb: () => void): void;
  close(): Promise<void>;
}

/** ModelRuntime over onnxruntime-node sessions in an InferencePool; warms each model once. */
export class OnnxModelRuntime implements ModelRuntime {
  readonly pool: InferencePool;
  private readonly refs = new Map<string, { count: number; loaded: Promise<LoadedModel> }>();

  constructor(options: InferencePoolOptions = {}) {
    this.pool = new InferencePool(options);
  }

  load(spec: ModelLoadSpec): Promise<LoadedModel> {
    const ref = this.refs.get(spec.key);
    if (ref) {
      ref.count++;
      return ref.loaded;
    }
    const loaded = this.pool.load(spec.key, spec.path).then(async (signature) => {
      await this.pool.run(spec.key, warmupInputs(signature), { transferInputs: true });
      return { key: spec.key, signature };
    });
    const entry = { count: 1, loaded };
    this.refs.set(spec.key, entry);
    loaded.catch(() => {
      if (this.refs.get(spec.key) === entry) {
        this.refs.delete(spec.key);
        void this.pool.unload(spec.key);
      }
    });
    return loaded;
  }

  run(key: string, inputs: readonly NamedTensor[], options?: RunOptions): Promise<NamedTensor[]> {
    return this.pool.run(key, inputs, options);
  }

  infer(
    key: string,
    bodies: readonly WireInferBody[],
    options: WireInferOptions,
    runOptions?: InferRunOptions,
  ): Promise<WireInferReply> {
    return this.pool.infer(key, bodies, options, runOptions);
  }

  async release(key: string): Promise<void> {
    const ref = this.refs.get(key);
    if (!ref) return;
    if (--ref.count > 0) return;
    this.refs.delete(key);
    await this.pool.unload(key);
  }

  hasCapacity(priority?: RunOptions['priority']): boolean {
    return this.pool.hasCapacity(priority);
  }

  onCapacity(cb: () => void): void {
    this.pool.onCapacity(cb);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
