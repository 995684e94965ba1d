// The request corpus whose answers are recorded byte for byte (test/golden/): every datatype as
// JSON and in the binary data extension both ways, requested outputs, several inputs, model
// failures, every bad-input case of the protocol suite, and a seeded sample of the fuzz
// generators. Models are exact (identity, slice, gather), so the answers hold on any CPU.
import fc from 'fast-check';

import { type TensorDataType } from '@fledge/inference';

import {
  gatherModel,
  fixedShapeModel,
  identityModel,
  onnxElemTypes,
  sliceClassifier,
  twoInputModel,
  weights,
} from '../../../libs/inference/test/onnx-fixtures.js';
import { oipCase } from './oip-arbitraries.js';

export interface GoldenCase {
  name: string;
  path: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface GoldenEndpoint {
  name: string;
  model: Uint8Array;
}

type JsonDatatype = Exclude<TensorDataType, 'BYTES'> | 'BYTES';

/** Three rows of three values per datatype, on and near its boundaries. */
const samples: Record<JsonDatatype, { json: unknown[]; binary: Uint8Array }> = {
  FP32: {
    json: [0, -0, 1.5, -2.25, 3.4028234663852886e38, 1e-50, 0.1, 123456.789, 1e-7],
    binary: bytesOf(Float32Array.of(0, -0, 1.5, -2.25, 3.4028234663852886e38, NaN, 0.1, Infinity, -Infinity)),
  },
  FP64: {
    json: [0.1, -1e308, 5e-324, 1.7976931348623157e308, -0, 2 ** 53 + 2, 1 / 3, -7, 42],
    binary: bytesOf(Float64Array.of(0.1, -1e308, 5e-324, NaN, Infinity, -0, 1 / 3, -7, 42)),
  },
  INT8: { json: [-128, 127, 0, 1, -1, 2, 3, 4, 5], binary: bytesOf(Int8Array.of(-128, 127, 0, 1, -1, 2, 3, 4, 5)) },
  UINT8: { json: [0, 255, 7, 8, 9, 10, 11, 12, 13], binary: bytesOf(Uint8Array.of(0, 255, 7, 8, 9, 10, 11, 12, 13)) },
  INT16: {
    json: [-32768, 32767, 1, 2, 3, 4, 5, 6, 7],
    binary: bytesOf(Int16Array.of(-32768, 32767, 1, 2, 3, 4, 5, 6, 7)),
  },
  UINT16: { json: [0, 65535, 2, 3, 4, 5, 6, 7, 8], binary: bytesOf(Uint16Array.of(0, 65535, 2, 3, 4, 5, 6, 7, 8)) },
  INT32: {
    json: [-2147483648, 2147483647, 3, 4, 5, 6, 7, 8, 9],
    binary: bytesOf(Int32Array.of(-2147483648, 2147483647, 3, 4, 5, 6, 7, 8, 9)),
  },
  UINT32: {
    json: [0, 4294967295, 4, 5, 6, 7, 8, 9, 10],
    binary: bytesOf(Uint32Array.of(0, 4294967295, 4, 5, 6, 7, 8, 9, 10)),
  },
  INT64: {
    json: [-9007199254740991, 9007199254740991, 5, 6, 7, 8, 9, 10, 11],
    binary: bytesOf(BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n, 5n, 6n, 7n, 8n, 9n, 10n, 11n)),
  },
  UINT64: {
    json: [0, 9007199254740991, 6, 7, 8, 9, 10, 11, 12],
    binary: bytesOf(BigUint64Array.of(0n, 2n ** 64n - 1n, 6n, 7n, 8n, 9n, 10n, 11n, 12n)),
  },
  BOOL: {
    json: [true, false, 1, 0, true, true, false, false, true],
    binary: Uint8Array.of(1, 0, 1, 0, 1, 1, 0, 0, 1),
  },
  BYTES: {
    json: ['a', '', 'héllo ✓', '"quoted"', 'back\\slash', 'new\nline', 'tab\t', '\u0000nul', 'end'],
    binary: bytesElements(['a', '', 'héllo ✓', '"quoted"', 'back\\slash', 'new\nline', 'tab\t', '\u0000nul', 'end']),
  },
};

/** Values each datatype refuses (out of its range, or not its kind). */
const refused: Partial<Record<JsonDatatype, unknown[]>> = {
  FP32: [1e39, 'x', true],
  FP64: ['1', null],
  INT8: [128, -129, 1.5],
  UINT8: [256, -1],
  INT16: [32768],
  UINT16: [65536],
  INT32: [2147483648],
  UINT32: [4294967296],
  INT64: [1e300, 9223372036854775808],
  UINT64: [-1],
  BOOL: [2, 'true'],
  BYTES: [1, null],
};

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function bytesElements(items: string[]): Uint8Array {
  return Buffer.concat(
    items.flatMap((s) => {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32LE(b.length);
      return [len, b];
    }),
  );
}

const json = (doc: unknown): Uint8Array => Buffer.from(JSON.stringify(doc), 'utf8');
const jsonHeaders = { 'content-type': 'application/json' };

/** A binary-extension body: the JSON header, then each tensor's bytes in input order. */
function binaryBody(doc: unknown, tensors: Uint8Array[]): { headers: Record<string, string>; body: Uint8Array } {
  const header = json(doc);
  return {
    headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.length) },
    body: Buffer.concat([header, ...tensors]),
  };
}

export const goldenEndpoints = (): GoldenEndpoint[] => [
  ...Object.entries(onnxElemTypes).map(([datatype, elem]) => ({
    name: `id-${datatype.toLowerCase()}`,
    model: identityModel(elem),
  })),
  { name: 'slice', model: sliceClassifier() },
  { name: 'two', model: twoInputModel() },
  { name: 'gather', model: gatherModel() },
  { name: 'fixed', model: fixedShapeModel() },
];

function datatypeCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  for (const [datatype, sample] of Object.entries(samples) as [JsonDatatype, (typeof samples)[JsonDatatype]][]) {
    const path = `/v2/models/id-${datatype.toLowerCase()}/infer`;
    const input = { name: 'x', datatype, shape: [3, 3] };
    const add = (what: string, headers: Record<string, string>, body: Uint8Array) =>
      cases.push({ name: `${datatype} ${what}`, path, headers, body });
    add('JSON in, JSON out', jsonHeaders, json({ id: `${datatype}-1`, inputs: [{ ...input, data: sample.json }] }));
    add(
      'nested JSON in, binary out',
      jsonHeaders,
      json({
        inputs: [{ ...input, data: [sample.json.slice(0, 3), sample.json.slice(3, 6), sample.json.slice(6)] }],
        parameters: { binary_data_output: true },
      }),
    );
    const bin = { ...input, parameters: { binary_data_size: sample.binary.byteLength } };
    const binaryIn = (outputs: unknown, params?: unknown) =>
      binaryBody({ inputs: [bin], ...(outputs ? { outputs } : {}), ...(params ? { parameters: params } : {}) }, [
        sample.binary,
      ]);
    let b = binaryIn(undefined);
    add('binary in, JSON out', b.headers, b.body);
    b = binaryIn([{ name: 'y', parameters: { binary_data: true } }]);
    add('binary in, binary output requested', b.headers, b.body);
    b = binaryIn([{ name: 'y', parameters: { binary_data: false } }], { binary_data_output: true });
    add('binary in, output asks JSON over binary_data_output', b.headers, b.body);
    b = binaryIn(undefined, { binary_data_output: true });
    add('binary in, all binary out', b.headers, b.body);
    for (const [i, value] of (refused[datatype] ?? []).entries()) {
      add(
        `refuses ${JSON.stringify(value)} (${i})`,
        jsonHeaders,
        json({ inputs: [{ ...input, data: [...sample.json.slice(0, 8), value] }] }),
      );
    }
    add('wrong datatype name', jsonHeaders, json({ inputs: [{ ...input, datatype: 'FLOAT', data: sample.json }] }));
    add(
      'datatype other than the model takes',
      jsonHeaders,
      json({
        inputs: [{ ...input, datatype: datatype === 'FP32' ? 'FP64' : 'FP32', data: [1, 2, 3, 4, 5, 6, 7, 8, 9] }],
      }),
    );
  }
  return cases;
}

function pixels(rows: number, seed: number): number[] {
  return Array.from(weights(rows * 784, seed, 1), (v) => Math.round(Math.abs(v) * 1000) / 1000);
}

function sliceCases(): GoldenCase[] {
  const path = '/v2/models/slice/infer';
  const cases: GoldenCase[] = [];
  const add = (name: string, body: Uint8Array | string, headers: Record<string, string> = jsonHeaders, p = path) =>
    cases.push({ name: `slice: ${name}`, path: p, headers, body: typeof body === 'string' ? Buffer.from(body) : body });
  const request = (rows: number, seed: number, extra: Record<string, unknown> = {}) => ({
    inputs: [{ name: 'pixels', datatype: 'FP32', shape: [rows, 784], data: pixels(rows, seed) }],
    ...extra,
  });
  add('one row', json(request(1, 1)));
  add('three rows with an id', json(request(3, 2, { id: 'req-3' })));
  add('pinned version', json(request(1, 3)), jsonHeaders, '/v2/models/slice/versions/1/infer');
  add('pinned by variant name', json(request(1, 4)), jsonHeaders, '/v2/models/slice/versions/slice-v1/infer');
  add('label only', json(request(2, 5, { outputs: [{ name: 'label' }] })));
  add(
    'probabilities in binary, label as JSON',
    json(
      request(2, 6, {
        outputs: [{ name: 'probabilities', parameters: { binary_data: true } }, { name: 'label' }],
      }),
    ),
  );
  add('outputs in the order asked', json(request(1, 7, { outputs: [{ name: 'label' }, { name: 'probabilities' }] })));
  add('an unknown output', json(request(1, 8, { outputs: [{ name: 'nope' }] })));
  const floats = Float32Array.from(pixels(2, 9));
  const b = binaryBody(
    {
      inputs: [
        { name: 'pixels', datatype: 'FP32', shape: [2, 784], parameters: { binary_data_size: floats.byteLength } },
      ],
      parameters: { binary_data_output: true },
    },
    [bytesOf(floats)],
  );
  add('binary both ways', b.body, b.headers);
  const zeros = new Array(784).fill(0);
  // The protocol suite's bad inputs.
  add('malformed JSON', '{"inputs": [');
  add('a wrong input name', json({ inputs: [{ name: 'pixelz', datatype: 'FP32', shape: [1, 784], data: zeros }] }));
  add(
    'a wrong shape',
    json({ inputs: [{ name: 'pixels', datatype: 'FP32', shape: [1, 783], data: new Array(783).fill(0) }] }),
  );
  add('a wrong datatype', json({ inputs: [{ name: 'pixels', datatype: 'FP64', shape: [1, 784], data: zeros }] }));
  add(
    'a wrong data length',
    json({ inputs: [{ name: 'pixels', datatype: 'FP32', shape: [1, 784], data: new Array(780).fill(0) }] }),
  );
  add('a non-numeric value', json({ inputs: [{ name: 'pixels', datatype: 'FP32', shape: [1, 2], data: [0, 'x'] }] }));
  add('an unknown datatype', json({ inputs: [{ name: 'pixels', datatype: 'FLOAT', shape: [1, 784], data: [] }] }));
  add(
    'deep data',
    `{"inputs":[{"name":"pixels","datatype":"FP32","shape":[1,784],"data":${'['.repeat(3000)}0${']'.repeat(3000)}}]}`,
  );
  add('deep parameters', `{"inputs":[],"parameters":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`);
  const one = JSON.stringify({ inputs: [{ name: 'pixels', datatype: 'FP32', shape: [1, 784], data: zeros }] });
  add('1e39 for FP32', one.replace(/0\]/, '1e39]'));
  add('1e999', one.replace(/0\]/, '1e999]'));
  add('NaN', one.replace(/0\]/, 'NaN]'));
  add('no inputs', json({ inputs: [] }));
  add('not an object', json([1, 2]));
  add('a negative dimension', json({ inputs: [{ name: 'pixels', datatype: 'FP32', shape: [-1, 784], data: [] }] }));
  add('an input twice', json({ inputs: [request(1, 1).inputs[0], request(1, 1).inputs[0]] }));
  add(
    'an extra input',
    json({ inputs: [request(1, 1).inputs[0], { name: 'x', datatype: 'FP32', shape: [1], data: [1] }] }),
  );
  add('an empty body', '');
  add('trailing data', one + ' x');
  add('a bad string escape', one.replace('"pixels"', '"pix\\qels"'));
  const pixel = Float32Array.from(pixels(1, 10));
  const header = (size: number) =>
    json({ inputs: [{ name: 'pixels', datatype: 'FP32', shape: [1, 784], parameters: { binary_data_size: size } }] });
  const hostile = (name: string, head: Uint8Array, data: Uint8Array, length: string) =>
    add(name, Buffer.concat([head, data]), {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': length.replace('$', String(head.length)),
    });
  hostile('truncated binary data', header(3136), bytesOf(pixel).subarray(0, 3129), '$');
  hostile('a binary_data_size larger than the data', header(3140), bytesOf(pixel), '$');
  hostile('a binary_data_size smaller than the shape needs', header(3132), bytesOf(pixel), '$');
  hostile('a header length beyond the body', header(3136), bytesOf(pixel), '99999');
  hostile('a header length that is not a number', header(3136), bytesOf(pixel), 'abc');
  hostile('a header length into the binary data', header(3136), bytesOf(pixel), '$4');
  hostile('binary_data_size without the header', header(3136), new Uint8Array(0), '');
  return cases.map((c) =>
    c.headers['inference-header-content-length'] === '' ? { ...c, headers: { 'content-type': 'application/json' } } : c,
  );
}

function otherModelCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  const a = Float32Array.of(1.25, -2, 3e-3, 4, 5, 6);
  const b = BigInt64Array.of(1n, -2n, 3n, 2n ** 60n);
  const two = '/v2/models/two/infer';
  cases.push({
    name: 'two inputs, JSON',
    path: two,
    headers: jsonHeaders,
    body: json({
      inputs: [
        { name: 'b', datatype: 'INT64', shape: [2, 2], data: [1, -2, 3, 4] },
        { name: 'a', datatype: 'FP32', shape: [2, 3], data: Array.from(a) },
      ],
    }),
  });
  let bin = binaryBody(
    {
      inputs: [
        { name: 'a', datatype: 'FP32', shape: [2, 3], parameters: { binary_data_size: 24 } },
        { name: 'b', datatype: 'INT64', shape: [2, 2], parameters: { binary_data_size: 32 } },
      ],
      parameters: { binary_data_output: true },
    },
    [bytesOf(a), bytesOf(b)],
  );
  cases.push({ name: 'two inputs, binary both ways', path: two, ...bin });
  bin = binaryBody(
    {
      inputs: [
        { name: 'b', datatype: 'INT64', shape: [2, 2], parameters: { binary_data_size: 32 } },
        { name: 'a', datatype: 'FP32', shape: [2, 3], data: Array.from(a) },
      ],
      outputs: [{ name: 'b_out' }, { name: 'a_out', parameters: { binary_data: true } }],
    },
    [bytesOf(b)],
  );
  cases.push({ name: 'two inputs, one binary one JSON', path: two, ...bin });
  const gather = (idx: number[]) =>
    json({ inputs: [{ name: 'idx', datatype: 'INT64', shape: [idx.length], data: idx }] });
  cases.push({
    name: 'gather: in range',
    path: '/v2/models/gather/infer',
    headers: jsonHeaders,
    body: gather([3, 9, 0]),
  });
  cases.push({
    name: 'gather: the model fails',
    path: '/v2/models/gather/infer',
    headers: jsonHeaders,
    body: gather([99]),
  });
  const fixed = (shape: number[], data: number[]) => json({ inputs: [{ name: 'x', datatype: 'FP32', shape, data }] });
  cases.push({
    name: 'fixed: its shape',
    path: '/v2/models/fixed/infer',
    headers: jsonHeaders,
    body: fixed([1, 4], [1, 2, 3, 4.5]),
  });
  cases.push({
    name: 'fixed: two rows',
    path: '/v2/models/fixed/infer',
    headers: jsonHeaders,
    body: fixed([2, 4], [1, 2, 3, 4, 5, 6, 7, 8]),
  });
  cases.push({
    name: 'no such endpoint',
    path: '/v2/models/nope/infer',
    headers: jsonHeaders,
    body: fixed([1, 4], [1, 2, 3, 4]),
  });
  cases.push({
    name: 'no such version',
    path: '/v2/models/fixed/versions/9/infer',
    headers: jsonHeaders,
    body: fixed([1, 4], [1, 2, 3, 4]),
  });
  return cases;
}

/** A fixed sample of the fuzz generators (same seed, same cases), sent to the slice classifier. */
function fuzzCases(count: number): GoldenCase[] {
  return fc.sample(oipCase, { seed: 20_261_201, numRuns: count }).map((c, i) => ({
    name: `fuzz ${i} (${c.kind})`,
    path: '/v2/models/slice/infer',
    headers: {
      'content-type': c.headerLength === undefined ? 'application/json' : 'application/octet-stream',
      ...(c.headerLength === undefined ? {} : { 'inference-header-content-length': c.headerLength }),
    },
    body: c.body,
  }));
}

export function goldenCases(): GoldenCase[] {
  return [...datatypeCases(), ...sliceCases(), ...otherModelCases(), ...fuzzCases(400)];
}
