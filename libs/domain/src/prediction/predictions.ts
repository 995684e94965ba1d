import { invalidArgument } from '@fledge/errors';

import { type TensorData } from '../registry/tensor-data.js';
import { type PredictionSpec } from './prediction.types.js';

/** A model output as a run returns it (serving, grading): name, shape, row-major data. */
export interface OutputValue {
  name: string;
  shape: readonly number[];
  data: TensorData;
}

/** Each row's prediction: class names (classifiers) or values (regression). */
export type RowPredictions = { kind: 'class'; values: string[] } | { kind: 'value'; values: Float64Array };

/** Per-row classes of a classifier's outputs, as grading reduces them. */
export interface ClassRows {
  rows: number;
  /** Class index per row; -1 when the label output holds a value that names no class. */
  predicted: Int32Array;
  /** Row-major probabilities (softmax of logits), `classes` per row; null without a scores output. */
  probabilities: Float64Array | null;
}

function outputOf(spec: PredictionSpec, outputs: readonly OutputValue[], name: string): OutputValue {
  const found = outputs.find((o) => o.name === name);
  if (!found) throw invalidArgument(`the model returned no ${name} output`, { reason: 'MODEL_OUTPUT_MISSING' });
  return found;
}

const rowsOf = (t: OutputValue) => (t.shape.length > 0 ? t.shape[0] : 1);

/** Softmax of each row of `width` logits (max-subtracted, so large logits cannot overflow). */
export function softmaxRows(logits: ArrayLike<number>, width: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let base = 0; base < logits.length; base += width) {
    let max = -Infinity;
    for (let k = 0; k < width; k++) max = Math.max(max, Number(logits[base + k]));
    let sum = 0;
    for (let k = 0; k < width; k++) sum += out[base + k] = Math.exp(Number(logits[base + k]) - max);
    for (let k = 0; k < width; k++) out[base + k] /= sum;
  }
  return out;
}

function argmaxRows(scores: ArrayLike<number>, rows: number): Int32Array {
  const width = rows > 0 ? scores.length / rows : 0;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let k = 1; k < width; k++) if (Number(scores[r * width + k]) > Number(scores[r * width + best])) best = k;
    out[r] = best;
  }
  return out;
}

function labelTexts(t: OutputValue): string[] {
  const out: string[] = new Array<string>(t.data.length);
  for (let i = 0; i < t.data.length; i++) out[i] = String(t.data[i]);
  return out;
}

/** The class scores of a spec's scores output as probabilities (softmax when they are logits). */
function probabilitiesOf(spec: PredictionSpec, outputs: readonly OutputValue[]): Float64Array | null {
  if (!spec.scoresOutput) return null;
  const t = outputOf(spec, outputs, spec.scoresOutput);
  const data = t.data as ArrayLike<number>;
  const width = t.shape[1] ?? data.length / Math.max(1, rowsOf(t));
  return spec.scores === 'logits' ? softmaxRows(data, width) : Float64Array.from(data, Number);
}

/**
 * Reads each row's class (the label output's value, or the argmax of the scores) and its class
 * probabilities from a classifier's outputs.
 */
export function classRows(spec: PredictionSpec, outputs: readonly OutputValue[]): ClassRows {
  const main = outputOf(spec, outputs, spec.output);
  const rows = rowsOf(main);
  const probabilities = probabilitiesOf(spec, outputs);
  if (spec.kind === 'CLASS_SCORES') {
    return { rows, predicted: argmaxRows(probabilities ?? (main.data as ArrayLike<number>), rows), probabilities };
  }
  const index = new Map((spec.labelValues ?? []).map((v, i) => [v, i]));
  const texts = labelTexts(main);
  return { rows, predicted: Int32Array.from(texts, (t) => index.get(t) ?? -1), probabilities };
}

/** Each row's prediction as the spec reads it: a class name, or a value for regression. */
export function rowPredictions(spec: PredictionSpec, outputs: readonly OutputValue[]): RowPredictions {
  if (spec.kind === 'REGRESSION') {
    const t = outputOf(spec, outputs, spec.output);
    return { kind: 'value', values: Float64Array.from(t.data as ArrayLike<number>, Number) };
  }
  if (spec.kind === 'CLASS_LABEL') {
    const texts = labelTexts(outputOf(spec, outputs, spec.output));
    const values = spec.labelValues;
    const classes = spec.classes;
    if (!values || !classes) return { kind: 'class', values: texts };
    const index = new Map(values.map((v, i) => [v, i]));
    return { kind: 'class', values: texts.map((t) => classes[index.get(t) ?? -1] ?? t) };
  }
  const { predicted } = classRows(spec, outputs);
  return { kind: 'class', values: Array.from(predicted, (i) => spec.classes?.[i] ?? String(i)) };
}

export interface PredictionAgreement {
  rows: number;
  /** Rows whose predictions agree: the same class, or values within the relative tolerance. */
  agreeing: number;
  /** Regression: mean absolute difference of the values. */
  absDiff?: number;
}

/**
 * Compares two versions' predictions row by row. Classes agree when they name the same class;
 * values when |a − b| ≤ tolerance × max(|a|, |b|). Different row counts or kinds agree nowhere.
 */
export function comparePredictions(
  primary: RowPredictions,
  candidate: RowPredictions,
  relativeTolerance: number,
): PredictionAgreement {
  const rows = primary.values.length;
  if (primary.kind !== candidate.kind || candidate.values.length !== rows) return { rows, agreeing: 0 };
  let agreeing = 0;
  if (primary.kind === 'class') {
    const b = candidate.values as string[];
    primary.values.forEach((a, i) => {
      if (a === b[i]) agreeing++;
    });
    return { rows, agreeing };
  }
  const b = candidate.values as Float64Array;
  let diff = 0;
  for (let i = 0; i < rows; i++) {
    const a = primary.values[i];
    const d = Math.abs(a - b[i]);
    diff += d;
    if (d <= relativeTolerance * Math.max(Math.abs(a), Math.abs(b[i])) || d === 0) agreeing++;
  }
  return { rows, agreeing, absDiff: rows > 0 ? diff / rows : 0 };
}

/** Probabilities of a model that gives only labels: all the mass on each row's predicted class. */
export function oneHotRows(predicted: Int32Array, classes: number): Float64Array {
  const out = new Float64Array(predicted.length * classes);
  predicted.forEach((k, row) => {
    if (k >= 0) out[row * classes + k] = 1;
  });
  return out;
}
