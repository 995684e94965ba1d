// Messages between InferencePool (main thread) and ort-worker (one per thread).
import { type PredictionSpec } from '@fledge/domain';

import { type WireError } from '@fledge/errors';

import { type PredictionSummary } from '../oip/infer-batch.js';

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

/** One request body of an `infer` message (its buffer is transferred to the worker). */
export interface WireInferBody {
  body: Uint8Array;
  headerLength?: string;
  respond: boolean;
  summarize: boolean;
}

/** What the worker needs beside the session to answer request bodies (see inferBodies). */
export interface WireInferOptions {
  maxBatchRows: number;
  modelName: string;
  modelVersion: string;
  prediction: PredictionSpec | null;
}

/**
 * A shadow model answering some of an `infer` message's bodies on the requests the primary
 * decoded (no second decode), after the primary's reply has been posted.
 */
export interface WireShadowRun {
  key: string;
  options: WireInferOptions;
  /** Indices into the message's bodies; only those the primary found valid are run. */
  bodies: number[];
}

/** A shadow run's answers (summaries only) and its model runs. */
export interface WireShadowReply {
  /** One per index of WireShadowRun.bodies; null when the primary refused that body. */
  results: (WireInferResult | null)[];
  runs: { rows: number; ms: number }[];
}

export type WorkerRequest =
  | { id: number; op: 'load'; key: string; path: string; options: WireSessionOptions }
  | { id: number; op: 'run'; key: string; inputs: WireTensor[] }
  | {
      id: number;
      op: 'infer';
      key: string;
      bodies: WireInferBody[];
      options: WireInferOptions;
      /** Answered in a second message with the same id (`shadows`), after the primary's. */
      shadows?: WireShadowRun[];
    }
  | { id: number; op: 'unload'; key: string }
  /**
   * Ends the thread abruptly, as a crashing native call would; used to test recovery. With
   * `midBatch` the thread ends while it works on the next `infer` message instead.
   */
  | { id: number; op: 'crash'; midBatch?: boolean };

export interface WireValueMetadata {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: (number | string)[];
}

/** One body's answer: bytes `[offset, offset + length)` of the reply's `responses` buffer. */
export type WireInferResult =
  | {
      ok: true;
      rows: number;
      offset: number;
      length: number;
      contentType?: string;
      jsonHeaderLength?: number;
      summary?: PredictionSummary;
    }
  | { ok: false; error: WireError; validated: boolean };

export interface WireInferReply {
  results: WireInferResult[];
  /** Every encoded answer of the message, back to back (one transfer). */
  responses: ArrayBuffer;
  /** Each model run: rows stacked and its duration in milliseconds. */
  runs: { rows: number; ms: number }[];
}

export type WorkerResponse =
  | {
      id: number;
      ok: true;
      outputs?: WireTensor[];
      inputs?: WireValueMetadata[];
      outputMeta?: WireValueMetadata[];
      infer?: WireInferReply;
      /** The second message of an `infer` with shadows: one reply per WireShadowRun. */
      shadows?: WireShadowReply[];
    }
  | { id: number; ok: false; message: string };
