// Tiny ONNX graphs built in code for the inference and serving tests (deterministic weights).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

type Dim = number | string;
const FLOAT = 1;
const INT64 = 7;

function valueInfo(name: string, elemType: number, dims: Dim[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
}

function floatInit(name: string, dims: number[], values: ArrayLike<number>) {
  return onnx.TensorProto.create({ name, dims, dataType: FLOAT, floatData: Array.from(values) });
}

function model(graph: ReturnType<typeof onnx.GraphProto.create>): Uint8Array {
  const m = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ version: 17 }],
    graph,
    producerName: 'fledge-test',
  });
  return onnx.ModelProto.encode(m).finish();
}

/** Deterministic pseudo-random weights in [-scale, scale]. */
export function weights(n: number, seed: number, scale = 0.1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = ((s / 0xffffffff) * 2 - 1) * scale;
  }
  return out;
}

/** Softmax classifier `pixels` [batch, inputs] → `probabilities` [batch, classes] (one hidden layer). */
export function mlpClassifier(seed: number, inputs = 784, hidden = 32, classes = 10): Uint8Array {
  return model(
    onnx.GraphProto.create({
      name: 'mlp',
      node: [
        onnx.NodeProto.create({ opType: 'Gemm', input: ['pixels', 'W1', 'B1'], output: ['h'] }),
        onnx.NodeProto.create({ opType: 'Relu', input: ['h'], output: ['r'] }),
        onnx.NodeProto.create({ opType: 'Gemm', input: ['r', 'W2', 'B2'], output: ['logits'] }),
        onnx.NodeProto.create({
          opType: 'Softmax',
          input: ['logits'],
          output: ['probabilities'],
          attribute: [{ name: 'axis', type: 2, i: 1 }],
        }),
      ],
      initializer: [
        floatInit('W1', [inputs, hidden], weights(inputs * hidden, seed)),
        floatInit('B1', [hidden], weights(hidden, seed + 1)),
        floatInit('W2', [hidden, classes], weights(hidden * classes, seed + 2, 1)),
        floatInit('B2', [classes], weights(classes, seed + 3)),
      ],
      input: [valueInfo('pixels', FLOAT, ['batch', inputs])],
      output: [valueInfo('probabilities', FLOAT, ['batch', classes])],
    }),
  );
}

/**
 * `idx` INT64 [batch] → `value` FLOAT [batch]: looks the indices up in a 10-entry table. An index
 * outside 0..9 makes onnxruntime throw at run time (zeros, the warm-up input, are fine).
 */
export function gatherModel(): Uint8Array {
  return model(
    onnx.GraphProto.create({
      name: 'gather',
      node: [onnx.NodeProto.create({ opType: 'Gather', input: ['table', 'idx'], output: ['value'] })],
      initializer: [floatInit('table', [10], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])],
      input: [valueInfo('idx', INT64, ['batch'])],
      output: [valueInfo('value', FLOAT, ['batch'])],
    }),
  );
}

/** A model whose input has a fixed batch of 1: `x` [1, 4] → `y` [1, 4] (y = x + 1). */
export function fixedShapeModel(): Uint8Array {
  return model(
    onnx.GraphProto.create({
      name: 'fixed',
      node: [onnx.NodeProto.create({ opType: 'Add', input: ['x', 'one'], output: ['y'] })],
      initializer: [floatInit('one', [1], [1])],
      input: [valueInfo('x', FLOAT, [1, 4])],
      output: [valueInfo('y', FLOAT, [1, 4])],
    }),
  );
}

export function writeFixture(dir: string, name: string, bytes: Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** ONNX element types by OIP datatype (the ones onnxruntime-node carries). */
export const onnxElemTypes = {
  FP32: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  BYTES: 8,
  BOOL: 9,
  FP64: 11,
  UINT32: 12,
  UINT64: 13,
} as const;

/** `x` [batch, width] → `y` [batch, width], y = x, for any element type (codec round trips). */
export function identityModel(elemType: number, width = 3): Uint8Array {
  return model(
    onnx.GraphProto.create({
      name: 'identity',
      node: [onnx.NodeProto.create({ opType: 'Identity', input: ['x'], output: ['y'] })],
      input: [valueInfo('x', elemType, ['batch', width])],
      output: [valueInfo('y', elemType, ['batch', width])],
    }),
  );
}

/** Two inputs echoed back: `a` FP32 [batch, 3] → `a_out`, `b` INT64 [batch, 2] → `b_out`. */
export function twoInputModel(): Uint8Array {
  return model(
    onnx.GraphProto.create({
      name: 'two-inputs',
      node: [
        onnx.NodeProto.create({ opType: 'Identity', input: ['a'], output: ['a_out'] }),
        onnx.NodeProto.create({ opType: 'Identity', input: ['b'], output: ['b_out'] }),
      ],
      input: [valueInfo('a', FLOAT, ['batch', 3]), valueInfo('b', INT64, ['batch', 2])],
      output: [valueInfo('a_out', FLOAT, ['batch', 3]), valueInfo('b_out', INT64, ['batch', 2])],
    }),
  );
}

/**
 * `pixels` FLOAT [batch, inputs] → `probabilities` = its first `classes` columns, `label` = their
 * argmax (INT64 [batch]). Every output is exact (no arithmetic), so recorded answers hold on any CPU.
 */
export function sliceClassifier(inputs = 784, classes = 10): Uint8Array {
  const int64 = (name: string, values: number[]) =>
    onnx.TensorProto.create({ name, dims: [values.length], dataType: INT64, int64Data: values });
  return model(
    onnx.GraphProto.create({
      name: 'slice-classifier',
      node: [
        onnx.NodeProto.create({
          opType: 'Slice',
          input: ['pixels', 'starts', 'ends', 'axes'],
          output: ['probabilities'],
        }),
        onnx.NodeProto.create({
          opType: 'ArgMax',
          input: ['probabilities'],
          output: ['label'],
          attribute: [
            { name: 'axis', type: 2, i: 1 },
            { name: 'keepdims', type: 2, i: 0 },
          ],
        }),
      ],
      initializer: [int64('starts', [0]), int64('ends', [classes]), int64('axes', [1])],
      input: [valueInfo('pixels', FLOAT, ['batch', inputs])],
      output: [valueInfo('probabilities', FLOAT, ['batch', classes]), valueInfo('label', INT64, ['batch'])],
    }),
  );
}
