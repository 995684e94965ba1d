import { describe, expect, it } from '@jest/globals';

import { decodeInferRequest, encodeInferResponse } from './oip.codec.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('decodeInferRequest', () => {
  it('decodes JSON tensors into typed data, with requested outputs', () => {
    const req = decodeInferRequest(
      json({
        id: 'r1',
        inputs: [
          {
            name: 'x',
            datatype: 'FP32',
            shape: [2, 2],
            data: [
              [1, 2],
              [3, 4.5],
            ],
          },
          { name: 'ids', datatype: 'INT64', shape: [2], data: [7, 8] },
          { name: 'text', datatype: 'BYTES', shape: [1], data: ['hello'] },
          { name: 'flag', datatype: 'BOOL', shape: [2], data: [true, false] },
        ],
        outputs: [{ name: 'y', parameters: { binary_data: true } }, { name: 'z' }],
      }),
    );
    expect(req.id).toBe('r1');
    expect(req.inputs[0]).toEqual({ name: 'x', datatype: 'FP32', shape: [2, 2], data: Float32Array.of(1, 2, 3, 4.5) });
    expect(req.inputs[1].data).toEqual(BigInt64Array.of(7n, 8n));
    expect(req.inputs[2].data).toEqual(['hello']);
    expect(req.inputs[3].data).toEqual(Uint8Array.of(1, 0));
    expect(req.outputs).toEqual([
      { name: 'y', binary: true },
      { name: 'z', binary: false },
    ]);
  });

  it('decodes the binary data extension (fixed-width and BYTES)', () => {
    const floats = Float32Array.of(0.5, -1, 2);
    const strings = Buffer.concat([Buffer.from([2, 0, 0, 0]), Buffer.from('hi'), Buffer.from([0, 0, 0, 0])]);
    const header = json({
      inputs: [
        { name: 'x', datatype: 'FP32', shape: [1, 3], parameters: { binary_data_size: 12 } },
        { name: 's', datatype: 'BYTES', shape: [2], parameters: { binary_data_size: strings.length } },
      ],
      parameters: { binary_data_output: true },
    });
    const body = Buffer.concat([header, Buffer.from(floats.buffer), strings]);
    const req = decodeInferRequest(body, header.length);
    expect(Array.from(req.inputs[0].data as Float32Array)).toEqual([0.5, -1, 2]);
    expect(req.inputs[1].data).toEqual(['hi', '']);
    expect(req.binaryOutputs).toBe(true);
  });

  it.each([
    ['a header length beyond the body', () => decodeInferRequest(json({ inputs: [] }), 999), 'BINARY_HEADER_INVALID'],
    [
      'binary_data_size without the header',
      () =>
        decodeInferRequest(
          json({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1], parameters: { binary_data_size: 4 } }] }),
        ),
      'BINARY_HEADER_INVALID',
    ],
    [
      'binary bytes not matching the shape',
      () => {
        const h = json({ inputs: [{ name: 'x', datatype: 'FP32', shape: [2], parameters: { binary_data_size: 4 } }] });
        return decodeInferRequest(Buffer.concat([h, Buffer.alloc(4)]), h.length);
      },
      'INPUT_DATA_LENGTH',
    ],
    [
      'unclaimed binary bytes',
      () => {
        const h = json({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1], parameters: { binary_data_size: 4 } }] });
        return decodeInferRequest(Buffer.concat([h, Buffer.alloc(8)]), h.length);
      },
      'INPUT_DATA_LENGTH',
    ],
    ['no inputs', () => decodeInferRequest(json({ inputs: [] })), 'REQUEST_INVALID'],
    ['a body that is not an object', () => decodeInferRequest(json([1, 2])), 'REQUEST_INVALID'],
    [
      'a negative dimension',
      () => decodeInferRequest(json({ inputs: [{ name: 'x', datatype: 'FP32', shape: [-1], data: [] }] })),
      'INPUT_SHAPE',
    ],
    [
      'a fraction in an INT32 tensor',
      () => decodeInferRequest(json({ inputs: [{ name: 'x', datatype: 'INT32', shape: [1], data: [1.5] }] })),
      'INPUT_DATATYPE',
    ],
  ])('refuses %s', (_what, run, reason) => {
    expect(run).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', reason }));
  });
});

describe('encodeInferResponse', () => {
  const response = {
    modelName: 'digits',
    modelVersion: '3',
    id: 'r1',
    outputs: [
      { name: 'p', datatype: 'FP32' as const, shape: [1, 2], data: Float32Array.of(0.25, NaN) },
      { name: 'label', datatype: 'INT64' as const, shape: [1], data: BigInt64Array.of(4n) },
    ],
  };

  it('writes OIP JSON (non-finite floats as null)', () => {
    const encoded = encodeInferResponse(response, new Set());
    expect(encoded.contentType).toBe('application/json');
    expect(JSON.parse(encoded.body.toString())).toEqual({
      model_name: 'digits',
      model_version: '3',
      id: 'r1',
      outputs: [
        { name: 'p', datatype: 'FP32', shape: [1, 2], data: [0.25, null] },
        { name: 'label', datatype: 'INT64', shape: [1], data: [4] },
      ],
    });
  });

  it('puts requested outputs after the JSON header in binary', () => {
    const encoded = encodeInferResponse(response, new Set(['p']));
    const header = JSON.parse(encoded.body.subarray(0, encoded.jsonHeaderLength).toString());
    expect(header.outputs[0]).toEqual({
      name: 'p',
      datatype: 'FP32',
      shape: [1, 2],
      parameters: { binary_data_size: 8 },
    });
    const tail = encoded.body.subarray(encoded.jsonHeaderLength);
    expect(tail.readFloatLE(0)).toBe(0.25);
    expect(tail.length).toBe(8);
  });
});
