import { allocateTensorData, type NumericTensorData, type TensorData, type TensorDataType } from '@fledge/domain';
import { invalidArgument } from '@fledge/errors';

export type { NumericTensorData, TensorData, TensorDataType };
export { allocateTensorData };

/** A named, typed, shaped tensor: the unit every codec, the pool and the runtime exchange. */
export interface NamedTensor {
  name: string;
  datatype: TensorDataType;
  shape: number[];
  data: TensorData;
}

interface DataTypeInfo {
  ort: string;
  bytes: number;
  fromBytes?: (buffer: ArrayBuffer, byteOffset: number, length: number) => NumericTensorData;
}

const info: Record<TensorDataType, DataTypeInfo> = {
  BOOL: { ort: 'bool', bytes: 1, fromBytes: (b, o, n) => new Uint8Array(b, o, n) },
  UINT8: { ort: 'uint8', bytes: 1, fromBytes: (b, o, n) => new Uint8Array(b, o, n) },
  INT8: { ort: 'int8', bytes: 1, fromBytes: (b, o, n) => new Int8Array(b, o, n) },
  UINT16: { ort: 'uint16', bytes: 2, fromBytes: (b, o, n) => new Uint16Array(b, o, n) },
  INT16: { ort: 'int16', bytes: 2, fromBytes: (b, o, n) => new Int16Array(b, o, n) },
  UINT32: { ort: 'uint32', bytes: 4, fromBytes: (b, o, n) => new Uint32Array(b, o, n) },
  INT32: { ort: 'int32', bytes: 4, fromBytes: (b, o, n) => new Int32Array(b, o, n) },
  INT64: { ort: 'int64', bytes: 8, fromBytes: (b, o, n) => new BigInt64Array(b, o, n) },
  UINT64: { ort: 'uint64', bytes: 8, fromBytes: (b, o, n) => new BigUint64Array(b, o, n) },
  FP32: { ort: 'float32', bytes: 4, fromBytes: (b, o, n) => new Float32Array(b, o, n) },
  FP64: { ort: 'float64', bytes: 8, fromBytes: (b, o, n) => new Float64Array(b, o, n) },
  BYTES: { ort: 'string', bytes: 0 },
};

const byOrt = new Map(Object.entries(info).map(([k, v]) => [v.ort, k as TensorDataType]));

export const tensorDataTypes = Object.keys(info) as TensorDataType[];

export function isTensorDataType(value: unknown): value is TensorDataType {
  // Own keys only: `in` also finds Object.prototype's (a client's datatype "valueOf" or
  // "constructor" must be refused, not looked up as a function).
  return typeof value === 'string' && Object.hasOwn(info, value);
}

/** The onnxruntime type name (`float32`, `int64`, `string`...) of an OIP datatype. */
export function ortTypeOf(datatype: TensorDataType): string {
  return info[datatype].ort;
}

export function dataTypeOfOrt(ortType: string): TensorDataType {
  const found = byOrt.get(ortType);
  if (!found) throw invalidArgument(`tensor type ${ortType} is not supported`, { reason: 'DATATYPE_UNSUPPORTED' });
  return found;
}

/** Bytes per element, 0 for BYTES (variable length). */
export function bytesPerElement(datatype: TensorDataType): number {
  return info[datatype].bytes;
}

/** Views little-endian bytes as typed data; copies when the offset is not aligned for the type. */
export function viewTensorBytes(datatype: TensorDataType, bytes: Uint8Array, length: number): NumericTensorData {
  const fromBytes = info[datatype].fromBytes;
  if (!fromBytes) throw invalidArgument('BYTES tensors have no fixed-width view', { reason: 'DATATYPE_UNSUPPORTED' });
  const width = info[datatype].bytes;
  if (bytes.byteOffset % width === 0) return fromBytes(bytes.buffer as ArrayBuffer, bytes.byteOffset, length);
  const copy = new Uint8Array(length * width);
  copy.set(bytes.subarray(0, length * width));
  return fromBytes(copy.buffer, 0, length);
}

export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
