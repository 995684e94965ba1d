// Messages between InferencePool (main thread) and ort-worker (one per thread). Type-only: the
// worker is loaded directly by Node and may import nothing relative at run time.

export interface WireTensor {
  name: string;
  /** onnxruntime type name, e.g. `float32`. */
  type: string;
  dims: number[];
  data: ArrayBufferView | string[];
}

export interface WireSessionOptions {
  intraOpNumThreads: number;
  interOpNumThreads: number;
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
}

export type WorkerRequest =
  | { id: number; op: 'load'; key: string; path: string; options: WireSessionOptions }
  | { id: number; op: 'run'; key: string; inputs: WireTensor[] }
  | { id: number; op: 'unload'; key: string }
  /** Ends the thread abruptly, as a crashing native call would; used to test recovery. */
  | { id: number; op: 'crash' };

export interface WireValueMetadata {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: (number | string)[];
}

export type WorkerResponse =
  | { id: number; ok: true; outputs?: WireTensor[]; inputs?: WireValueMetadata[]; outputMeta?: WireValueMetadata[] }
  | { id: number; ok: false; message: string };
