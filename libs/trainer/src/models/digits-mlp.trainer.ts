import { type DenseSplit } from '../datasets/dataset.types.js';
import { DIGITS_WIDTH, loadDigits } from '../datasets/digits.dataset.js';
import { attr, OnnxGraphBuilder } from '../onnx/onnx-graph.builder.js';
import { Prng } from '../prng.util.js';
import { AdamOptimizer, softmaxInto } from './adam.optimizer.js';
import { accuracy, argmax, classifierOutputs, type ModelReport, type TrainedModel } from './model.types.js';
import { sqrt } from '../math.util.js';

const CLASSES = 10;

export interface DigitsMlpConfig {
  readonly hidden: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
}

export const DIGITS_MLP_V1: DigitsMlpConfig = { hidden: 128, epochs: 8, batchSize: 64, learningRate: 1e-3, seed: 1 };
export const DIGITS_MLP_V2: DigitsMlpConfig = { hidden: 160, epochs: 10, batchSize: 64, learningRate: 1e-3, seed: 2 };

/** Weights of a 784 → hidden → 10 ReLU network (row-major, `w1` is [784, hidden], `w2` [hidden, 10]). */
export interface MlpWeights {
  readonly hidden: number;
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  readonly w2: Float32Array;
  readonly b2: Float32Array;
}

export interface MlpExportOptions {
  /**
   * Adds a chain of this many [batch,784]×[784,784] MatMuls whose result is multiplied by 0 and
   * added to the input: same outputs, more latency (for rollout tests of latency SLOs).
   */
  readonly slowdownMatMuls?: number;
  /** Output class k reports the logit of class `permutation[k]`: a deliberately wrong model. */
  readonly permutation?: readonly number[];
  /**
   * Rows whose pixel `index` is above `above` fail at run time — a data-dependent Gather out of
   * range, as a model with a shape bug fails on some inputs: a deliberately faulty model whose
   * other rows answer like the original.
   */
  readonly faultyPixel?: { readonly index: number; readonly above: number };
}

function initWeights(hidden: number, prng: Prng): MlpWeights {
  const w1 = new Float32Array(DIGITS_WIDTH * hidden);
  const w2 = new Float32Array(hidden * CLASSES);
  const s1 = sqrt(2 / DIGITS_WIDTH);
  const s2 = sqrt(2 / hidden);
  for (let i = 0; i < w1.length; i++) w1[i] = prng.normal() * s1;
  for (let i = 0; i < w2.length; i++) w2[i] = prng.normal() * s2;
  return { hidden, w1, b1: new Float32Array(hidden), w2, b2: new Float32Array(CLASSES) };
}

/** Hidden activations (after ReLU) of one row, into `h`; skips zero pixels (most of a digit). */
function hiddenLayer(weights: MlpWeights, x: Float32Array, offset: number, h: Float64Array): void {
  const { hidden, w1, b1 } = weights;
  for (let j = 0; j < hidden; j++) h[j] = b1[j];
  for (let i = 0; i < DIGITS_WIDTH; i++) {
    const xi = x[offset + i];
    if (xi === 0) continue;
    const base = i * hidden;
    for (let j = 0; j < hidden; j++) h[j] += xi * w1[base + j];
  }
  for (let j = 0; j < hidden; j++) if (h[j] < 0) h[j] = 0;
}

function logitsOf(weights: MlpWeights, h: Float64Array, out: Float64Array): void {
  const { hidden, w2, b2 } = weights;
  for (let k = 0; k < CLASSES; k++) out[k] = b2[k];
  for (let j = 0; j < hidden; j++) {
    const hj = h[j];
    if (hj === 0) continue;
    for (let k = 0; k < CLASSES; k++) out[k] += hj * w2[j * CLASSES + k];
  }
}

export function predictMlp(weights: MlpWeights, split: DenseSplit): Int32Array {
  const h = new Float64Array(weights.hidden);
  const logits = new Float64Array(CLASSES);
  const out = new Int32Array(split.rows);
  for (let r = 0; r < split.rows; r++) {
    hiddenLayer(weights, split.features, r * DIGITS_WIDTH, h);
    logitsOf(weights, h, logits);
    out[r] = argmax(logits);
  }
  return out;
}

export function trainMlpWeights(config: DigitsMlpConfig, train: DenseSplit): MlpWeights {
  const prng = new Prng(config.seed);
  const weights = initWeights(config.hidden, prng);
  const { hidden, w1, b1, w2, b2 } = weights;
  const grads = [w1, b1, w2, b2].map((p) => new Float64Array(p.length));
  const [gw1, gb1, gw2, gb2] = grads;
  const optimizer = new AdamOptimizer([w1, b1, w2, b2], config.learningRate);
  const h = new Float64Array(hidden);
  const dh = new Float64Array(hidden);
  const logits = new Float64Array(CLASSES);
  const probs = new Float64Array(CLASSES);
  const x = train.features;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    const order = prng.permutation(train.rows);
    for (let start = 0; start < order.length; start += config.batchSize) {
      const end = Math.min(order.length, start + config.batchSize);
      const scale = 1 / (end - start);
      for (const g of grads) g.fill(0);
      for (let b = start; b < end; b++) {
        const row = order[b];
        const offset = row * DIGITS_WIDTH;
        hiddenLayer(weights, x, offset, h);
        logitsOf(weights, h, logits);
        softmaxInto(logits, probs, 0, CLASSES);
        probs[train.labels[row]] -= 1;
        for (let k = 0; k < CLASSES; k++) {
          probs[k] *= scale;
          gb2[k] += probs[k];
        }
        for (let j = 0; j < hidden; j++) {
          const hj = h[j];
          if (hj === 0) {
            dh[j] = 0;
            continue;
          }
          let sum = 0;
          for (let k = 0; k < CLASSES; k++) {
            gw2[j * CLASSES + k] += hj * probs[k];
            sum += w2[j * CLASSES + k] * probs[k];
          }
          dh[j] = sum;
          gb1[j] += sum;
        }
        for (let i = 0; i < DIGITS_WIDTH; i++) {
          const xi = x[offset + i];
          if (xi === 0) continue;
          const base = i * hidden;
          for (let j = 0; j < hidden; j++) gw1[base + j] += xi * dh[j];
        }
      }
      optimizer.update(grads);
    }
  }
  return weights;
}

/** A copy of the weights whose output k is the original output `permutation[k]`. */
export function permuteOutputs(weights: MlpWeights, permutation: readonly number[]): MlpWeights {
  const w2 = new Float32Array(weights.w2.length);
  const b2 = new Float32Array(CLASSES);
  for (let k = 0; k < CLASSES; k++) {
    b2[k] = weights.b2[permutation[k]];
    for (let j = 0; j < weights.hidden; j++) w2[j * CLASSES + k] = weights.w2[j * CLASSES + permutation[k]];
  }
  return { ...weights, w2, b2 };
}

export const digitsImageInput = { name: 'pixels', type: 'float32', shape: ['batch', DIGITS_WIDTH] } as const;

export function exportMlp(
  name: string,
  weights: MlpWeights,
  options: MlpExportOptions,
  report: ModelReport,
): Uint8Array {
  const g = new OnnxGraphBuilder(name);
  g.input('pixels', 'float32', ['batch', DIGITS_WIDTH]);
  let x = 'pixels';
  const slowdown = options.slowdownMatMuls ?? 0;
  if (slowdown > 0) {
    // A fixed random near-orthogonal-scale matrix keeps the chain's values finite, so 0 × chain is 0.
    const prng = new Prng(0x51f7);
    const m = new Float32Array(DIGITS_WIDTH * DIGITS_WIDTH);
    const s = 1 / sqrt(DIGITS_WIDTH);
    for (let i = 0; i < m.length; i++) m[i] = prng.normal() * s;
    g.floatTensor('slowdown_matrix', [DIGITS_WIDTH, DIGITS_WIDTH], m);
    g.floatTensor('slowdown_zero', [], [0]);
    let chain = 'pixels';
    for (let i = 0; i < slowdown; i++) {
      g.node('MatMul', [chain, 'slowdown_matrix'], [`slowdown_${i}`]);
      chain = `slowdown_${i}`;
    }
    g.node('Mul', [chain, 'slowdown_zero'], ['slowdown_discarded']);
    g.node('Add', ['pixels', 'slowdown_discarded'], ['pixels_slowed']);
    x = 'pixels_slowed';
  }
  if (options.faultyPixel) {
    // flag = pixel > above (0 or 1); table[flag × 1000] exists only for flag 0, so a flagged row's
    // Gather is out of range and the whole run fails. The looked-up 0 is added to the input.
    const { index, above } = options.faultyPixel;
    g.int64Tensor('fault_pixel', [1], [index]);
    g.floatTensor('fault_above', [], [above]);
    g.int64Tensor('fault_stride', [], [1000]);
    g.floatTensor('fault_table', [1], [0]);
    g.node('Gather', [x, 'fault_pixel'], ['fault_value'], { axis: attr.int(1) });
    g.node('Greater', ['fault_value', 'fault_above'], ['fault_flag']);
    g.node('Cast', ['fault_flag'], ['fault_flag_int'], { to: attr.int(7) });
    g.node('Mul', ['fault_flag_int', 'fault_stride'], ['fault_index']);
    g.node('Gather', ['fault_table', 'fault_index'], ['fault_zero'], { axis: attr.int(0) });
    g.node('Add', [x, 'fault_zero'], ['pixels_checked']);
    x = 'pixels_checked';
  }
  const w = options.permutation ? permuteOutputs(weights, options.permutation) : weights;
  g.floatTensor('w1', [DIGITS_WIDTH, w.hidden], w.w1);
  g.floatTensor('b1', [w.hidden], w.b1);
  g.floatTensor('w2', [w.hidden, CLASSES], w.w2);
  g.floatTensor('b2', [CLASSES], w.b2);
  g.node('Gemm', [x, 'w1', 'b1'], ['hidden_linear']);
  g.node('Relu', ['hidden_linear'], ['hidden']);
  g.node('Gemm', ['hidden', 'w2', 'b2'], ['logits']);
  g.node('Softmax', ['logits'], ['probabilities'], { axis: attr.int(-1) });
  g.node('ArgMax', ['logits'], ['label'], { axis: attr.int(1), keepdims: attr.int(0) });
  for (const o of classifierOutputs(CLASSES)) g.output(o.name, o.type, o.shape);
  return g.build({
    opsets: { '': 17 },
    docString: `${name}: MLP 784→${w.hidden}→10 on the mnist package's digits`,
    metadata: reportMetadata(report),
  });
}

/** Deterministic model metadata: the report without anything machine- or time-dependent. */
export function reportMetadata(report: ModelReport): Record<string, string> {
  return {
    'fledge.family': report.family,
    'fledge.labels': JSON.stringify(report.labels),
    'fledge.train_accuracy': report.trainAccuracy.toFixed(4),
    'fledge.test_accuracy': report.testAccuracy.toFixed(4),
    'fledge.config': JSON.stringify(report.config),
  };
}

export interface DigitsMlpOptions extends MlpExportOptions {
  readonly name: string;
  readonly config: DigitsMlpConfig;
  /** Reuse already trained weights (variants of one model share its training). */
  readonly weights?: MlpWeights;
}

export function trainDigitsMlp(options: DigitsMlpOptions): TrainedModel & { weights: MlpWeights } {
  const started = performance.now();
  const data = loadDigits();
  const weights = options.weights ?? trainMlpWeights(options.config, data.train);
  const effective = options.permutation ? permuteOutputs(weights, options.permutation) : weights;
  const trainPredictions = predictMlp(effective, data.train);
  const testPredictions = predictMlp(effective, data.test);
  const report: ModelReport = {
    name: options.name,
    family: 'image',
    inputs: [digitsImageInput],
    outputs: classifierOutputs(CLASSES),
    labels: data.labelNames,
    trainAccuracy: accuracy(trainPredictions, data.train.labels),
    testAccuracy: accuracy(testPredictions, data.test.labels),
    config: {
      architecture: 'mlp',
      ...options.config,
      slowdownMatMuls: options.slowdownMatMuls ?? 0,
      permutation: options.permutation ?? null,
      ...(options.faultyPixel ? { faultyPixel: options.faultyPixel } : {}),
    },
  };
  const onnx = exportMlp(options.name, weights, options, report);
  return { onnx, report, testPredictions, weights, trainingMs: performance.now() - started };
}
