import { type DenseSplit } from '../datasets/dataset.types.js';
import { DIGITS_WIDTH, loadDigits } from '../datasets/digits.dataset.js';
import { attr, OnnxGraphBuilder } from '../onnx/onnx-graph.builder.js';
import { Prng } from '../prng.util.js';
import { AdamOptimizer, softmaxInto } from './adam.optimizer.js';
import { reportMetadata, digitsImageInput } from './digits-mlp.trainer.js';
import { accuracy, argmax, classifierOutputs, type ModelReport, type TrainedModel } from './model.types.js';
import { floor, max, sqrt } from '../math.util.js';

const CLASSES = 10;
const SIDE = 28;
const KERNEL = 3;
const CONV = SIDE - KERNEL + 1; // 26: valid convolution
const POOLED = CONV / 2; // 13: 2×2 max pooling

export interface DigitsCnnConfig {
  readonly filters: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  /** Trains on the first rows of the training split only (speed). */
  readonly trainRows: number;
}

export const DIGITS_CNN_V1: DigitsCnnConfig = {
  filters: 16,
  epochs: 4,
  batchSize: 32,
  learningRate: 2e-3,
  seed: 3,
  trainRows: 8000,
};

/** Conv [filters,1,3,3] + bias → ReLU → MaxPool 2 → Flatten → dense [filters·13·13, 10]. */
export interface CnnWeights {
  readonly filters: number;
  readonly conv: Float32Array;
  readonly convBias: Float32Array;
  readonly dense: Float32Array;
  readonly denseBias: Float32Array;
}

/** Scratch buffers of one forward pass. */
class CnnActivations {
  readonly conv: Float64Array;
  readonly pooled: Float64Array;
  /** Index into `conv` of each pooled cell's maximum (for the backward pass). */
  readonly argmax: Int32Array;
  readonly logits = new Float64Array(CLASSES);

  constructor(filters: number) {
    this.conv = new Float64Array(filters * CONV * CONV);
    this.pooled = new Float64Array(filters * POOLED * POOLED);
    this.argmax = new Int32Array(filters * POOLED * POOLED);
  }
}

function forward(w: CnnWeights, x: Float32Array, offset: number, a: CnnActivations): void {
  const { filters, conv, convBias, dense, denseBias } = w;
  for (let f = 0; f < filters; f++) {
    const k = f * KERNEL * KERNEL;
    const k0 = conv[k],
      k1 = conv[k + 1],
      k2 = conv[k + 2];
    const k3 = conv[k + 3],
      k4 = conv[k + 4],
      k5 = conv[k + 5];
    const k6 = conv[k + 6],
      k7 = conv[k + 7],
      k8 = conv[k + 8];
    const bias = convBias[f];
    for (let y = 0; y < CONV; y++) {
      const r0 = offset + y * SIDE;
      const r1 = r0 + SIDE;
      const r2 = r1 + SIDE;
      const out = (f * CONV + y) * CONV;
      for (let c = 0; c < CONV; c++) {
        a.conv[out + c] =
          bias +
          k0 * x[r0 + c] +
          k1 * x[r0 + c + 1] +
          k2 * x[r0 + c + 2] +
          k3 * x[r1 + c] +
          k4 * x[r1 + c + 1] +
          k5 * x[r1 + c + 2] +
          k6 * x[r2 + c] +
          k7 * x[r2 + c + 1] +
          k8 * x[r2 + c + 2];
      }
    }
    for (let py = 0; py < POOLED; py++) {
      for (let px = 0; px < POOLED; px++) {
        const base = (f * CONV + 2 * py) * CONV + 2 * px;
        let best = base;
        for (const candidate of [base + 1, base + CONV, base + CONV + 1]) {
          if (a.conv[candidate] > a.conv[best]) best = candidate;
        }
        const p = (f * POOLED + py) * POOLED + px;
        a.argmax[p] = best;
        a.pooled[p] = max(0, a.conv[best]);
      }
    }
  }
  const width = filters * POOLED * POOLED;
  for (let k = 0; k < CLASSES; k++) a.logits[k] = denseBias[k];
  for (let p = 0; p < width; p++) {
    const v = a.pooled[p];
    if (v === 0) continue;
    for (let k = 0; k < CLASSES; k++) a.logits[k] += v * dense[p * CLASSES + k];
  }
}

export function predictCnn(w: CnnWeights, split: DenseSplit): Int32Array {
  const a = new CnnActivations(w.filters);
  const out = new Int32Array(split.rows);
  for (let r = 0; r < split.rows; r++) {
    forward(w, split.features, r * DIGITS_WIDTH, a);
    out[r] = argmax(a.logits);
  }
  return out;
}

export function trainCnnWeights(config: DigitsCnnConfig, train: DenseSplit): CnnWeights {
  const prng = new Prng(config.seed);
  const { filters } = config;
  const width = filters * POOLED * POOLED;
  const conv = new Float32Array(filters * KERNEL * KERNEL).map(() => prng.normal() * sqrt(2 / 9));
  const dense = new Float32Array(width * CLASSES).map(() => prng.normal() * sqrt(1 / width));
  const w: CnnWeights = {
    filters,
    conv,
    convBias: new Float32Array(filters),
    dense,
    denseBias: new Float32Array(CLASSES),
  };
  const params = [w.conv, w.convBias, w.dense, w.denseBias];
  const grads = params.map((p) => new Float64Array(p.length));
  const [gConv, gConvBias, gDense, gDenseBias] = grads;
  const optimizer = new AdamOptimizer(params, config.learningRate);
  const a = new CnnActivations(filters);
  const probs = new Float64Array(CLASSES);
  const rows = Math.min(config.trainRows, train.rows);
  const x = train.features;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    const order = prng.permutation(rows);
    for (let start = 0; start < rows; start += config.batchSize) {
      const end = Math.min(rows, start + config.batchSize);
      const scale = 1 / (end - start);
      for (const g of grads) g.fill(0);
      for (let b = start; b < end; b++) {
        const row = order[b];
        const offset = row * DIGITS_WIDTH;
        forward(w, x, offset, a);
        softmaxInto(a.logits, probs, 0, CLASSES);
        probs[train.labels[row]] -= 1;
        for (let k = 0; k < CLASSES; k++) {
          probs[k] *= scale;
          gDenseBias[k] += probs[k];
        }
        for (let p = 0; p < width; p++) {
          const v = a.pooled[p];
          if (v === 0) continue; // ReLU (or max pooling of negatives) stops the gradient
          let d = 0;
          for (let k = 0; k < CLASSES; k++) {
            gDense[p * CLASSES + k] += v * probs[k];
            d += dense[p * CLASSES + k] * probs[k];
          }
          const at = a.argmax[p];
          const f = floor(at / (CONV * CONV));
          const y = floor((at % (CONV * CONV)) / CONV);
          const c = at % CONV;
          gConvBias[f] += d;
          for (let dy = 0; dy < KERNEL; dy++) {
            const input = offset + (y + dy) * SIDE + c;
            const kernel = f * KERNEL * KERNEL + dy * KERNEL;
            gConv[kernel] += d * x[input];
            gConv[kernel + 1] += d * x[input + 1];
            gConv[kernel + 2] += d * x[input + 2];
          }
        }
      }
      optimizer.update(grads);
    }
  }
  return w;
}

export function exportCnn(name: string, w: CnnWeights, report: ModelReport): Uint8Array {
  const g = new OnnxGraphBuilder(name);
  g.input('pixels', 'float32', ['batch', DIGITS_WIDTH]);
  g.int64Tensor('image_shape', [4], [-1, 1, SIDE, SIDE]);
  g.floatTensor('conv_w', [w.filters, 1, KERNEL, KERNEL], w.conv);
  g.floatTensor('conv_b', [w.filters], w.convBias);
  g.floatTensor('dense_w', [w.filters * POOLED * POOLED, CLASSES], w.dense);
  g.floatTensor('dense_b', [CLASSES], w.denseBias);
  g.node('Reshape', ['pixels', 'image_shape'], ['image']);
  g.node('Conv', ['image', 'conv_w', 'conv_b'], ['conv'], {
    kernel_shape: attr.ints([KERNEL, KERNEL]),
    pads: attr.ints([0, 0, 0, 0]),
    strides: attr.ints([1, 1]),
  });
  g.node('Relu', ['conv'], ['conv_relu']);
  g.node('MaxPool', ['conv_relu'], ['pooled'], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) });
  g.node('Flatten', ['pooled'], ['flat'], { axis: attr.int(1) });
  g.node('Gemm', ['flat', 'dense_w', 'dense_b'], ['logits']);
  g.node('Softmax', ['logits'], ['probabilities'], { axis: attr.int(-1) });
  g.node('ArgMax', ['logits'], ['label'], { axis: attr.int(1), keepdims: attr.int(0) });
  for (const o of classifierOutputs(CLASSES)) g.output(o.name, o.type, o.shape);
  return g.build({
    opsets: { '': 17 },
    docString: `${name}: Conv ${w.filters}×3×3 → ReLU → MaxPool 2 → dense, on the mnist package's digits`,
    metadata: reportMetadata(report),
  });
}

export function trainDigitsCnn(options: { name: string; config: DigitsCnnConfig }): TrainedModel {
  const started = performance.now();
  const data = loadDigits();
  const weights = trainCnnWeights(options.config, data.train);
  const trainPredictions = predictCnn(weights, data.train);
  const testPredictions = predictCnn(weights, data.test);
  const report: ModelReport = {
    name: options.name,
    family: 'image',
    inputs: [digitsImageInput],
    outputs: classifierOutputs(CLASSES),
    labels: data.labelNames,
    trainAccuracy: accuracy(trainPredictions, data.train.labels),
    testAccuracy: accuracy(testPredictions, data.test.labels),
    config: { architecture: 'cnn', ...options.config },
  };
  return {
    onnx: exportCnn(options.name, weights, report),
    report,
    testPredictions,
    trainingMs: performance.now() - started,
  };
}
