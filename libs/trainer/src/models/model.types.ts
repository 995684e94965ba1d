import { type Dim, type ElemType } from '../onnx/onnx-graph.builder.js';

/** One graph input or output as a serving runtime sees it. */
export interface TensorSpec {
  readonly name: string;
  readonly type: ElemType;
  readonly shape: readonly Dim[];
}

export interface ModelReport {
  readonly name: string;
  readonly family: 'image' | 'text' | 'tabular';
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Class names, indexed by the integer label the model outputs. */
  readonly labels: readonly string[];
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  /** What was trained and how: hyperparameters, seed, sizes. Part of the cache key. */
  readonly config: Readonly<Record<string, unknown>>;
}

export interface TrainedModel {
  readonly onnx: Uint8Array;
  readonly report: ModelReport;
  /** The TypeScript model's own predicted labels on the test split (to check ORT against). */
  readonly testPredictions: Int32Array;
  /** Wall time spent training and exporting, ms (absent when served from the cache). */
  readonly trainingMs?: number;
}

export function accuracy(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) hits++;
  return labels.length === 0 ? 0 : hits / labels.length;
}

export function argmax(values: ArrayLike<number>, from = 0, length = values.length - from): number {
  let best = 0;
  for (let k = 1; k < length; k++) if (values[from + k] > values[from + best]) best = k;
  return best;
}

/** Shared signature pieces of the classifiers in this library. */
export const classifierOutputs = (classes: number): TensorSpec[] => [
  { name: 'probabilities', type: 'float32', shape: ['batch', classes] },
  { name: 'label', type: 'int64', shape: ['batch'] },
];
