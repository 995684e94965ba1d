import { describe, expect, it } from '@jest/globals';

import { concatBatch, splitBatch } from './batch.util.js';
import { hasDynamicBatchDim, signatureFromMetadata, validateInputs, warmupInputs } from './model-signature.js';
import { decodeBinaryTensor, encodeBinaryTensor, tensorDataFromJson, tensorDataToJson } from './tensor-codec.js';
import { type NamedTensor } from './tensor.js';

describe('tensor codecs', () => {
  it('converts JSON values (flat, nested or Float64Array) to typed data and back', () => {
    expect(tensorDataFromJson('x', 'FP32', [[1, 2], [3]])).toEqual(Float32Array.of(1, 2, 3));
    expect(tensorDataFromJson('x', 'FP32', Float64Array.of(0.1, 2))).toEqual(Float32Array.of(0.1, 2));
    expect(tensorDataFromJson('x', 'INT64', Float64Array.of(3, -4))).toEqual(BigInt64Array.of(3n, -4n));
    expect(tensorDataFromJson('x', 'UINT8', [255, 0])).toEqual(Uint8Array.of(255, 0));
    expect(tensorDataFromJson('x', 'BYTES', ['a', 'b'])).toEqual(['a', 'b']);
    expect(() => tensorDataFromJson('x', 'INT32', Float64Array.of(1.5))).toThrow(/1.5 at 0 is not INT32/);
    expect(() => tensorDataFromJson('x', 'BYTES', [1])).toThrow(/is not BYTES/);
    const bools: NamedTensor = { name: 'b', datatype: 'BOOL', shape: [2], data: Uint8Array.of(1, 0) };
    expect(tensorDataToJson(bools)).toEqual([true, false]);
    expect(tensorDataToJson({ name: 'l', datatype: 'INT64', shape: [1], data: BigInt64Array.of(9n) })).toEqual([9]);
  });

  it('round-trips the binary layout, including BYTES length prefixes', () => {
    const floats: NamedTensor = { name: 'x', datatype: 'FP32', shape: [2], data: Float32Array.of(1.5, -2) };
    expect(decodeBinaryTensor('x', 'FP32', [2], encodeBinaryTensor(floats)).data).toEqual(Float32Array.of(1.5, -2));
    const strings: NamedTensor = { name: 's', datatype: 'BYTES', shape: [3], data: ['héllo', '', 'x'] };
    expect(decodeBinaryTensor('s', 'BYTES', [3], encodeBinaryTensor(strings)).data).toEqual(['héllo', '', 'x']);
    const odd = new Uint8Array(9);
    odd.set(new Uint8Array(Float32Array.of(7, 8).buffer), 1);
    expect(decodeBinaryTensor('x', 'FP32', [2], odd.subarray(1)).data).toEqual(Float32Array.of(7, 8));
    expect(() => decodeBinaryTensor('s', 'BYTES', [1], Uint8Array.of(9, 0, 0, 0, 1))).toThrow(/truncated element/);
  });
});

describe('model signature', () => {
  const signature = signatureFromMetadata(
    [{ name: 'pixels', isTensor: true, type: 'float32', shape: ['batch', 4] }],
    [{ name: 'probabilities', isTensor: true, type: 'float32', shape: ['batch', 2] }],
  );

  it('maps onnxruntime metadata to OIP specs with -1 for dynamic dimensions', () => {
    expect(signature.inputs).toEqual([{ name: 'pixels', datatype: 'FP32', shape: [-1, 4] }]);
    expect(hasDynamicBatchDim(signature)).toBe(true);
    expect(warmupInputs(signature)[0]).toEqual({
      name: 'pixels',
      datatype: 'FP32',
      shape: [1, 4],
      data: new Float32Array(4),
    });
  });

  it.each([
    [[{ name: 'pixels', datatype: 'FP32', shape: [1, 3], data: new Float32Array(3) }], 'INPUT_SHAPE'],
    [[{ name: 'pixels', datatype: 'FP64', shape: [1, 4], data: new Float64Array(4) }], 'INPUT_DATATYPE'],
    [[{ name: 'pixels', datatype: 'FP32', shape: [1, 4], data: new Float32Array(3) }], 'INPUT_DATA_LENGTH'],
    [[{ name: 'other', datatype: 'FP32', shape: [1, 4], data: new Float32Array(4) }], 'INPUT_MISSING'],
    [
      [
        { name: 'pixels', datatype: 'FP32', shape: [1, 4], data: new Float32Array(4) },
        { name: 'extra', datatype: 'FP32', shape: [1], data: new Float32Array(1) },
      ],
      'INPUT_UNKNOWN',
    ],
  ])('refuses inputs that do not fit (%#: %s)', (inputs, reason) => {
    expect(() => validateInputs(signature, inputs as NamedTensor[])).toThrow(expect.objectContaining({ reason }));
  });

  it('stacks requests into one batch and splits the outputs back', () => {
    const a: NamedTensor = { name: 'x', datatype: 'FP32', shape: [1, 2], data: Float32Array.of(1, 2) };
    const b: NamedTensor = { name: 'x', datatype: 'FP32', shape: [2, 2], data: Float32Array.of(3, 4, 5, 6) };
    const [stacked] = concatBatch([[a], [b]]);
    expect(stacked).toEqual({ name: 'x', datatype: 'FP32', shape: [3, 2], data: Float32Array.of(1, 2, 3, 4, 5, 6) });
    const parts = splitBatch([stacked], [1, 2]);
    expect(parts[1][0]).toEqual({ name: 'x', datatype: 'FP32', shape: [2, 2], data: Float32Array.of(3, 4, 5, 6) });
  });
});
