// fast-check generators of OIP v2 infer request bodies for the fuzz suites: arbitrary bytes, and
// near-valid requests (JSON and the binary data extension) with one or two things wrong — values
// out of the datatype's range, lying lengths, truncations, deep nesting, wrong types.
import fc from 'fast-check';

import { bytesPerElement, type TensorDataType, tensorDataTypes } from '@fledge/inference';

/** One request body as a client would send it. */
export interface OipCase {
  kind: string;
  body: Uint8Array;
  /** The Inference-Header-Content-Length header, as sent (binary data extension). */
  headerLength?: string;
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** Header values a client might send: right, wrong, negative, not a number. */
const headerLengthText = fc.oneof(
  fc.nat({ max: 5000 }).map(String),
  fc.integer({ min: -100, max: -1 }).map(String),
  fc.constantFrom('', 'abc', '1.5', '1e3', 'NaN', '-0', '0x10', '99999999999999999999', 'Infinity'),
);

export const arbitraryBytesCase: fc.Arbitrary<OipCase> = fc
  .record({ body: fc.uint8Array({ maxLength: 4096 }), headerLength: fc.option(headerLengthText, { nil: undefined }) })
  .map((c) => ({ kind: 'bytes', ...c }));

/** [lowest, highest] of the integer datatypes, as JSON numbers reach them. */
const integerBounds: Partial<Record<TensorDataType, [number, number]>> = {
  UINT8: [0, 255],
  INT8: [-128, 127],
  UINT16: [0, 65_535],
  INT16: [-32_768, 32_767],
  UINT32: [0, 2 ** 32 - 1],
  INT32: [-(2 ** 31), 2 ** 31 - 1],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Numbers that sit on or just past a boundary of some datatype. */
const edgeNumbers = fc.constantFrom(
  -1,
  0.5,
  -0,
  128,
  -129,
  256,
  65_536,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 63,
  -(2 ** 63),
  2 ** 64,
  3.4028234663852886e38,
  3.5e38,
  1e39,
  -1e39,
  5e-324,
  1e308,
);

function jsonValueOf(datatype: TensorDataType): fc.Arbitrary<unknown> {
  const wild = fc.oneof(edgeNumbers, fc.jsonValue({ maxDepth: 2 }));
  let typical: fc.Arbitrary<unknown>;
  if (datatype === 'BYTES') typical = fc.string({ maxLength: 12 });
  else if (datatype === 'BOOL') typical = fc.oneof(fc.boolean(), fc.constantFrom(0, 1));
  else if (datatype === 'FP32') typical = fc.float({ noNaN: true, noDefaultInfinity: true });
  else if (datatype === 'FP64') typical = fc.double({ noNaN: true, noDefaultInfinity: true });
  else {
    const [min, max] = integerBounds[datatype]!;
    typical = fc.integer({ min, max });
  }
  return fc.oneof({ weight: 12, arbitrary: typical }, { weight: 1, arbitrary: wild });
}

function nest(flat: unknown[], shape: number[]): unknown[] {
  if (shape.length < 2 || shape[0] === 0 || flat.length % shape[0] !== 0) return flat;
  const row = flat.length / shape[0];
  return Array.from({ length: shape[0] }, (_, i) => nest(flat.slice(i * row, (i + 1) * row), shape.slice(1)));
}

interface TensorCase {
  name: string;
  datatype: TensorDataType;
  shape: number[];
  values: unknown[];
}

const smallShape = fc.array(fc.nat({ max: 4 }), { maxLength: 3 });

const tensorCase: fc.Arbitrary<TensorCase> = fc
  .record({
    name: fc.oneof(fc.constantFrom('pixels', 'x'), fc.string({ maxLength: 8 })),
    datatype: fc.constantFrom(...tensorDataTypes),
    shape: smallShape,
    miscount: fc.constantFrom(0, 0, 0, 0, 1, -1),
  })
  .chain(({ name, datatype, shape, miscount }) => {
    const count = Math.max(0, shape.reduce((n, d) => n * d, 1) + miscount);
    return fc
      .array(jsonValueOf(datatype), { minLength: count, maxLength: count })
      .map((values) => ({ name, datatype, shape, values }));
  });

/** Inputs the serving tests' digits model takes: `pixels` FP32 [rows, 784]. */
const pixelsCase: fc.Arbitrary<TensorCase> = fc
  .integer({ min: 1, max: 2 })
  .chain((rows) =>
    fc
      .float32Array({ minLength: rows * 784, maxLength: rows * 784, noNaN: true, noDefaultInfinity: true })
      .map((data) => ({ name: 'pixels', datatype: 'FP32' as const, shape: [rows, 784], values: Array.from(data) })),
  );

const fields = ['inputs', 'name', 'datatype', 'shape', 'data', 'parameters', 'outputs', 'id'] as const;

/** A request object, sometimes with one field replaced by any JSON value or removed. */
const requestObject = fc
  .record({
    inputs: fc.oneof(
      fc.array(tensorCase, { minLength: 1, maxLength: 3 }),
      pixelsCase.map((p) => [p]),
    ),
    nested: fc.boolean(),
    outputs: fc.option(
      fc.array(fc.record({ name: fc.constantFrom('probabilities', 'label', 'nope'), binary: fc.boolean() }), {
        maxLength: 2,
      }),
      { nil: undefined },
    ),
    binaryOutput: fc.boolean(),
    id: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
    mutation: fc.option(
      fc.record({
        field: fc.constantFrom(...fields),
        value: fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
      }),
      { freq: 3, nil: undefined },
    ),
  })
  .map(({ inputs, nested, outputs, binaryOutput, id, mutation }) => {
    const doc: Record<string, unknown> = {
      ...(id === undefined ? {} : { id }),
      inputs: inputs.map((t) => ({
        name: t.name,
        datatype: t.datatype,
        shape: t.shape,
        data: nested ? nest(t.values, t.shape) : t.values,
      })),
      ...(outputs === undefined
        ? {}
        : { outputs: outputs.map((o) => ({ name: o.name, parameters: { binary_data: o.binary } })) }),
      parameters: { binary_data_output: binaryOutput },
    };
    if (mutation) {
      const target: Record<string, unknown> = ['name', 'datatype', 'shape', 'data'].includes(mutation.field)
        ? (doc.inputs as Record<string, unknown>[])[0]
        : doc;
      if (mutation.value === undefined) delete target[mutation.field];
      else target[mutation.field] = mutation.value;
    }
    return doc;
  });

/** Text-level damage after serialisation. */
const textMutation = fc.oneof(
  { weight: 6, arbitrary: fc.constant((text: string) => text) },
  {
    weight: 1,
    arbitrary: fc.nat().map((at) => (text: string) => text.slice(0, at % (text.length + 1))),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('1e999', '-1e999', 'NaN', 'Infinity', '-Infinity', '1e39', '9223372036854775808', '01', '1.', '-')
      .map((literal) => (text: string) => text.replace(/-?\d+(\.\d+)?([eE][+-]?\d+)?/, literal)),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 100, max: 6000 })
      .map(
        (depth) => (text: string) => text.replace('"data":', `"data":${'['.repeat(depth)}1${']'.repeat(depth)},"x":`),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 100, max: 6000 })
      .map(
        (depth) => (text: string) => text.replace(/}$/, `,"parameters":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
      ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 6 })).map(([at, junk]) => (text: string) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + junk + text.slice(i);
    }),
  },
);

export const nearValidJsonCase: fc.Arbitrary<OipCase> = fc
  .tuple(requestObject, textMutation)
  .map(([doc, mutate]) => ({ kind: 'json', body: utf8(mutate(JSON.stringify(doc))) }));

/** Raw bytes of a tensor in the binary data extension (random contents: any bit pattern is data). */
const binaryTensor = fc
  .record({
    name: fc.constantFrom('pixels', 'x', 's'),
    datatype: fc.constantFrom(...tensorDataTypes),
    shape: fc.oneof(smallShape, fc.constant<number[]>([1, 784])),
  })
  .chain(({ name, datatype, shape }) => {
    const count = shape.reduce((n, d) => n * d, 1);
    const bytes =
      datatype === 'BYTES'
        ? fc.array(fc.string({ maxLength: 6 }), { minLength: count, maxLength: count }).map((items) =>
            Buffer.concat(
              items.flatMap((s) => {
                const b = utf8(s);
                const len = Buffer.alloc(4);
                len.writeUInt32LE(b.length);
                return [len, b];
              }),
            ),
          )
        : fc.uint8Array({ minLength: count * bytesPerElement(datatype), maxLength: count * bytesPerElement(datatype) });
    return bytes.map((data) => ({ name, datatype, shape, data: new Uint8Array(data) }));
  });

export const nearValidBinaryCase: fc.Arbitrary<OipCase> = fc
  .record({
    tensors: fc.array(binaryTensor, { minLength: 1, maxLength: 2 }),
    sizeLie: fc.constantFrom(0, 0, 0, 1, -1, 4, -4, 1_000_000, -1_000_000, 0.5),
    headerLie: fc.constantFrom(0, 0, 0, 1, -1, 7, -7, 100_000),
    truncate: fc.constantFrom(0, 0, 0, 1, 3, 64),
    extra: fc.constantFrom(0, 0, 0, 1, 8),
    jsonInput: fc.boolean(),
  })
  .map(({ tensors, sizeLie, headerLie, truncate, extra, jsonInput }) => {
    const inputs: Record<string, unknown>[] = tensors.map((t, i) => ({
      name: t.name,
      datatype: t.datatype,
      shape: t.shape,
      parameters: { binary_data_size: t.data.byteLength + (i === 0 ? sizeLie : 0) },
    }));
    if (jsonInput) inputs.push({ name: 'y', datatype: 'FP32', shape: [1], data: [0.5] });
    const header = utf8(
      JSON.stringify({ inputs, outputs: [{ name: 'probabilities', parameters: { binary_data: true } }] }),
    );
    const full = Buffer.concat([header, ...tensors.map((t) => t.data), Buffer.alloc(extra, 7)]);
    return {
      kind: 'binary',
      body: full.subarray(0, Math.max(0, full.length - truncate)),
      headerLength: String(header.length + headerLie),
    };
  });

/** Every kind, for suites that take one stream. */
export const oipCase: fc.Arbitrary<OipCase> = fc.oneof(
  { weight: 1, arbitrary: arbitraryBytesCase },
  { weight: 3, arbitrary: nearValidJsonCase },
  { weight: 2, arbitrary: nearValidBinaryCase },
);
