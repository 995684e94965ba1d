import { invalidArgument } from '@fledge/errors';

import {
  allocateTensorData,
  bytesPerElement,
  elementCount,
  type NamedTensor,
  type NumericTensorData,
  type TensorData,
  type TensorDataType,
  viewTensorBytes,
} from './tensor.js';

type JsonValues = readonly unknown[] | Float64Array;

/** Flattens nested rows (plain arrays or Float64Array rows from a typed JSON parser). */
function flatten(data: JsonValues): JsonValues {
  if (data instanceof Float64Array) return data;
  if (!data.some((v) => Array.isArray(v) || v instanceof Float64Array)) return data;
  const out: unknown[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v instanceof Float64Array) for (let i = 0; i < v.length; i++) out.push(v[i]);
    else out.push(v);
  };
  walk(data);
  return out;
}

/**
 * What each numeric datatype holds, as [lowest, highest + 1) (the upper bounds of the 64-bit types
 * are exact as doubles that way); BOOL takes 0/1 (or booleans).
 */
const integerRange: Partial<Record<TensorDataType, readonly [number, number]>> = {
  BOOL: [0, 2],
  UINT8: [0, 2 ** 8],
  INT8: [-(2 ** 7), 2 ** 7],
  UINT16: [0, 2 ** 16],
  INT16: [-(2 ** 15), 2 ** 15],
  UINT32: [0, 2 ** 32],
  INT32: [-(2 ** 31), 2 ** 31],
  UINT64: [0, 2 ** 64],
  INT64: [-(2 ** 63), 2 ** 63],
};

/**
 * Builds typed tensor data from JSON values (flat or nested row-major; a Float64Array when the
 * parser produced one). Values must fit the datatype: numbers in its range for numeric types
 * (integers for integer types; FP32 within ±3.4e38), booleans (or 0/1) for BOOL, strings for
 * BYTES. A value that does not fit is refused (INVALID_ARGUMENT), never wrapped or turned into
 * Infinity.
 */
export function tensorDataFromJson(name: string, datatype: TensorDataType, values: JsonValues): TensorData {
  const flat = flatten(values);
  const n = flat.length;
  if (datatype === 'BYTES') {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const v = flat[i];
      if (typeof v !== 'string') throw wrongValue(name, datatype, i, v);
      out[i] = v;
    }
    return out;
  }
  const numbers = flat instanceof Float64Array ? flat : toNumbers(name, datatype, flat);
  if (datatype === 'FP64') {
    for (let i = 0; i < n; i++) if (!Number.isFinite(numbers[i])) throw outOfRange(name, datatype, i, numbers[i]);
    return numbers;
  }
  if (datatype === 'FP32') {
    const out = new Float32Array(numbers);
    for (let i = 0; i < n; i++) if (!Number.isFinite(out[i])) throw outOfRange(name, datatype, i, numbers[i]);
    return out;
  }
  const [lowest, above] = integerRange[datatype]!;
  for (let i = 0; i < n; i++) {
    const v = numbers[i];
    if (!Number.isInteger(v)) throw wrongValue(name, datatype, i, v);
    if (v < lowest || v >= above) throw outOfRange(name, datatype, i, v);
  }
  if (datatype === 'INT64' || datatype === 'UINT64') {
    const out = allocateTensorData(datatype, n) as BigInt64Array | BigUint64Array;
    for (let i = 0; i < n; i++) out[i] = BigInt(numbers[i]);
    return out;
  }
  const out = allocateTensorData(datatype, n) as Exclude<NumericTensorData, BigInt64Array | BigUint64Array>;
  out.set(numbers);
  return out;
}

/** Plain JSON values → numbers (booleans only for BOOL); anything else is refused. */
function toNumbers(name: string, datatype: TensorDataType, flat: readonly unknown[]): Float64Array {
  const out = new Float64Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v === 'number') out[i] = v;
    else if (datatype === 'BOOL' && typeof v === 'boolean') out[i] = v ? 1 : 0;
    else throw wrongValue(name, datatype, i, v);
  }
  return out;
}

function wrongValue(name: string, datatype: TensorDataType, index: number, value: unknown) {
  return invalidArgument(
    `input ${name}: value ${JSON.stringify(value) ?? String(value)} at ${index} is not ${datatype}`,
    {
      reason: 'INPUT_DATATYPE',
    },
  );
}

function outOfRange(name: string, datatype: TensorDataType, index: number, value: number) {
  return invalidArgument(`input ${name}: value ${value} at ${index} is out of range for ${datatype}`, {
    reason: 'INPUT_VALUE_OUT_OF_RANGE',
  });
}

/** JSON-ready values of a tensor (BOOL as booleans, 64-bit integers as numbers). */
export function tensorDataToJson(tensor: NamedTensor): unknown[] {
  const data = tensor.data;
  if (Array.isArray(data)) return data;
  if (tensor.datatype === 'BOOL') return Array.from(data as Uint8Array, (v) => v !== 0);
  if (tensor.datatype === 'INT64' || tensor.datatype === 'UINT64') {
    return Array.from(data as BigInt64Array, Number);
  }
  return Array.from(data as Exclude<NumericTensorData, BigInt64Array | BigUint64Array>);
}

/**
 * Decodes one tensor of the OIP binary data extension: fixed-width types are little-endian raw
 * values; BYTES elements are each a 4-byte little-endian length followed by the bytes.
 */
export function decodeBinaryTensor(
  name: string,
  datatype: TensorDataType,
  shape: number[],
  bytes: Uint8Array,
): NamedTensor {
  const count = elementCount(shape);
  if (datatype === 'BYTES') {
    const out: string[] = [];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 0;
    while (pos < bytes.byteLength) {
      if (pos + 4 > bytes.byteLength) throw badBinary(name, 'truncated length prefix');
      const len = view.getUint32(pos, true);
      pos += 4;
      if (pos + len > bytes.byteLength) throw badBinary(name, 'truncated element');
      out.push(Buffer.from(bytes.buffer, bytes.byteOffset + pos, len).toString('utf8'));
      pos += len;
    }
    if (out.length !== count) {
      throw invalidArgument(`input ${name}: ${out.length} values for shape [${shape.join(',')}] (expected ${count})`, {
        reason: 'INPUT_DATA_LENGTH',
      });
    }
    return { name, datatype, shape, data: out };
  }
  const width = bytesPerElement(datatype);
  if (bytes.byteLength !== count * width) {
    throw invalidArgument(
      `input ${name}: ${bytes.byteLength} bytes of binary data for shape [${shape.join(',')}] ` +
        `(expected ${count * width} for ${datatype})`,
      { reason: 'INPUT_DATA_LENGTH' },
    );
  }
  return { name, datatype, shape, data: viewTensorBytes(datatype, bytes, count) };
}

function badBinary(name: string, what: string) {
  return invalidArgument(`input ${name}: binary BYTES data has a ${what}`, { reason: 'INPUT_BINARY_INVALID' });
}

/** Encodes a tensor's data in the binary data extension's layout (see decodeBinaryTensor). */
export function encodeBinaryTensor(tensor: NamedTensor): Uint8Array {
  const data = tensor.data;
  if (Array.isArray(data)) {
    const parts = data.map((s) => Buffer.from(s, 'utf8'));
    const out = Buffer.allocUnsafe(parts.reduce((n, p) => n + 4 + p.length, 0));
    let pos = 0;
    for (const p of parts) {
      out.writeUInt32LE(p.length, pos);
      p.copy(out, pos + 4);
      pos += 4 + p.length;
    }
    return out;
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
