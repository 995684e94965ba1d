import { describe, expect, it } from '@jest/globals';

import { decodeInferRequest, encodeInferResponse, inferenceHeaderLength } from './oip.codec.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const oneValue = (datatype: string, literal: string) =>
  Buffer.from(`{"inputs":[{"name":"x","datatype":"${datatype}","shape":[1],"data":[${literal}]}]}`);
const decodeValue = (datatype: string, literal: string) =>
  decodeInferRequest(oneValue(datatype, literal)).inputs[0].data;

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

  // Found by probing a running server: each used to answer 500 or 200 with null/wrapped values.
  it.each([
    ['FP32', '1e39', 'INPUT_VALUE_OUT_OF_RANGE', /value 1e\+39 at 0 is out of range for FP32/],
    ['FP32', '-3.5e38', 'INPUT_VALUE_OUT_OF_RANGE', /out of range for FP32/],
    ['FP32', '1e999', 'NUMBER_OUT_OF_RANGE', /number out of the double range at byte 61/],
    ['FP64', '-1e999', 'NUMBER_OUT_OF_RANGE', /number out of the double range/],
    ['INT8', '128', 'INPUT_VALUE_OUT_OF_RANGE', /value 128 at 0 is out of range for INT8/],
    ['INT8', '-129', 'INPUT_VALUE_OUT_OF_RANGE', /out of range for INT8/],
    ['UINT8', '256', 'INPUT_VALUE_OUT_OF_RANGE', /out of range for UINT8/],
    ['UINT8', '-1', 'INPUT_VALUE_OUT_OF_RANGE', /out of range for UINT8/],
    ['INT16', '32768', 'INPUT_VALUE_OUT_OF_RANGE', /out of range for INT16/],
    ['UINT16', '65536', 'INPUT_VALUE_OUT_OF_RANGE', /out of range for UINT16/],
    ['INT32', '2147483648', 'INPUT_VALUE_OUT_OF_RANGE', /out of range for INT32/],
    ['UINT32', '4294967296', 'INPUT_VALUE_OUT_OF_RANGE', /out of range for UINT32/],
    ['INT64', '9223372036854775808', 'INPUT_VALUE_OUT_OF_RANGE', /out of range for INT64/],
    ['INT64', '1e300', 'INPUT_VALUE_OUT_OF_RANGE', /out of range for INT64/],
    ['UINT64', '-1', 'INPUT_VALUE_OUT_OF_RANGE', /out of range for UINT64/],
    ['UINT64', '18446744073709551616', 'INPUT_VALUE_OUT_OF_RANGE', /out of range for UINT64/],
    ['BOOL', '2', 'INPUT_VALUE_OUT_OF_RANGE', /out of range for BOOL/],
    ['FP32', 'NaN', 'MALFORMED_JSON', /unexpected character 'N'/],
    ['FP32', 'Infinity', 'MALFORMED_JSON', /unexpected character 'I'/],
    ['FP32', '-Infinity', 'MALFORMED_JSON', /invalid number/],
  ])('refuses %s %s (%s) instead of storing something else', (datatype, literal, reason, message) => {
    expect(() => decodeValue(datatype, literal)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', reason, message: expect.stringMatching(message) }),
    );
  });

  // Found by the codec fuzz: a datatype named like an Object.prototype member was looked up as one.
  it.each(['valueOf', 'constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'refuses the datatype %s as unknown (400), not a server error',
    (datatype) => {
      expect(() => decodeValue(datatype, '0')).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', reason: 'INPUT_DATATYPE' }),
      );
    },
  );

  it('keeps every value on the boundary of its datatype exactly', () => {
    expect(decodeValue('FP32', '3.4028234663852886e38')).toEqual(Float32Array.of(3.4028234663852886e38));
    expect(decodeValue('FP32', '1e-50')).toEqual(Float32Array.of(0));
    expect(decodeValue('FP64', '1.7976931348623157e308')).toEqual(Float64Array.of(Number.MAX_VALUE));
    expect(decodeValue('INT8', '-128')).toEqual(Int8Array.of(-128));
    expect(decodeValue('INT8', '127')).toEqual(Int8Array.of(127));
    expect(decodeValue('UINT8', '255')).toEqual(Uint8Array.of(255));
    expect(decodeValue('INT32', '-2147483648')).toEqual(Int32Array.of(-2147483648));
    expect(decodeValue('UINT32', '4294967295')).toEqual(Uint32Array.of(4294967295));
    expect(decodeValue('INT64', '-9223372036854775808')).toEqual(BigInt64Array.of(-(2n ** 63n)));
    expect(decodeValue('UINT64', '9007199254740991')).toEqual(BigUint64Array.of(2n ** 53n - 1n));
    expect(decodeValue('BOOL', 'true')).toEqual(Uint8Array.of(1));
    expect(decodeValue('BOOL', '0')).toEqual(Uint8Array.of(0));
  });

  it.each([
    [
      'data nested 3,000 levels',
      `{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":${'['.repeat(3000)}1${']'.repeat(3000)}}]}`,
    ],
    ['parameters nested 5,000 levels', `{"inputs":[],"parameters":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`],
  ])('refuses %s as too deep (400, not a stack overflow)', (_what, text) => {
    expect(() => decodeInferRequest(Buffer.from(text))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', reason: 'JSON_TOO_DEEP' }),
    );
  });

  describe('binary data extension, hostile lengths', () => {
    const header = (size: unknown, datatype = 'FP32', shape = [2]) =>
      json({ inputs: [{ name: 'x', datatype, shape, parameters: { binary_data_size: size } }] });
    const floats = Buffer.from(Float32Array.of(1, 2).buffer);

    it.each([
      [
        'truncated binary data',
        () => decodeInferRequest(Buffer.concat([header(8), floats.subarray(0, 5)]), header(8).length),
        'INPUT_DATA_LENGTH',
      ],
      [
        'a size larger than the body',
        () => decodeInferRequest(Buffer.concat([header(9), floats]), header(9).length),
        'INPUT_DATA_LENGTH',
      ],
      [
        'a negative size',
        () => decodeInferRequest(Buffer.concat([header(-8), floats]), header(-8).length),
        'INPUT_DATA_LENGTH',
      ],
      [
        'a fractional size',
        () => decodeInferRequest(Buffer.concat([header(7.5), floats]), header(7.5).length),
        'INPUT_DATA_LENGTH',
      ],
      [
        'a size for the wrong shape',
        () => {
          const h = header(8, 'FP32', [3]);
          return decodeInferRequest(Buffer.concat([h, floats]), h.length);
        },
        'INPUT_DATA_LENGTH',
      ],
      [
        'a header length past the JSON (into the binary data)',
        () => decodeInferRequest(Buffer.concat([header(8), floats]), header(8).length + 4),
        'MALFORMED_JSON',
      ],
      [
        'a header length short of the JSON',
        () => decodeInferRequest(Buffer.concat([header(8), floats]), header(8).length - 3),
        'MALFORMED_JSON',
      ],
      [
        'a negative header length',
        () => decodeInferRequest(Buffer.concat([header(8), floats]), -1),
        'BINARY_HEADER_INVALID',
      ],
      [
        'a BYTES element longer than its data',
        () => {
          const h = header(9, 'BYTES', [1]);
          return decodeInferRequest(Buffer.concat([h, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5])]), h.length);
        },
        'INPUT_BINARY_INVALID',
      ],
    ])('refuses %s', (_what, run, reason) => {
      expect(run).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', reason }));
    });

    it.each([['12abc'], ['1.5'], ['-1'], ['0x10'], [''], ['1e3'], ['99999999999999999999']])(
      'refuses the header value %j as not a byte count',
      (value) => {
        expect(() => inferenceHeaderLength(value)).toThrow(
          expect.objectContaining({ code: 'INVALID_ARGUMENT', reason: 'BINARY_HEADER_INVALID' }),
        );
      },
    );

    it('reads a plain byte count (surrounding spaces allowed) and an absent header', () => {
      expect(inferenceHeaderLength(' 42 ')).toBe(42);
      expect(inferenceHeaderLength(undefined)).toBeUndefined();
    });
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
