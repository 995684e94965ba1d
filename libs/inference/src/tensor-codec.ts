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
 * Builds typed tensor data from JSON values (flat or nested row-major; a Float64Array when the
 * parser produced one). Values must fit the datatype: numbers for numeric types, booleans (or
 * 0/1) for BOOL, strings for BYTES.
 */
export function tensorDataFromJson(name: string, datatype: TensorDataType, values: JsonValues): TensorData {
  const flat = flatten(values);
  const n = flat.length;
  if (flat instanceof Float64Array) {
    if (datatype === 'FP64') return flat;
    if (datatype === 'FP32') return new Float32Array(flat);
    if (datatype === 'BYTES') throw wrongValue(name, datatype, 0, flat[0]);
    for (let i = 0; i < n; i++) if (!Number.isInteger(flat[i])) throw wrongValue(name, datatype, i, flat[i]);
    if (datatype === 'INT64' || datatype === 'UINT64') {
      const out = allocateTensorData(datatype, n) as BigInt64Array;
      for (let i = 0; i < n; i++) out[i] = BigInt(flat[i]);
      return out;
    }
    const out = allocateTensorData(datatype, n) as Int32Array;
    out.set(flat);
    return out;
  }
  if (datatype === 'BYTES') {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const v = flat[i];
      if (typeof v !== 'string') throw wrongValue(name, datatype, i, v);
      out[i] = v;
    }
    return out;
  }
  const out = allocateTensorData(datatype, n) as NumericTensorData;
  if (datatype === 'INT64' || datatype === 'UINT64') {
    const big = out as BigInt64Array;
    for (let i = 0; i < n; i++) {
      const v = flat[i];
      if (typeof v !== 'number' || !Number.isInteger(v)) throw wrongValue(name, datatype, i, v);
      big[i] = BigInt(v);
    }
    return out;
  }
  const integer = datatype !== 'FP32' && datatype !== 'FP64';
  const numeric = out as Float64Array;
  for (let i = 0; i < n; i++) {
    let v = flat[i];
    if (datatype === 'BOOL' && typeof v === 'boolean') v = v ? 1 : 0;
    if (typeof v !== 'number' || (integer && !Number.isInteger(v))) throw wrongValue(name, datatype, i, v);
    numeric[i] = v;
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
