import { type TensorDataType } from './registry.types.js';

/** The element storage of a tensor: typed arrays, or strings for BYTES. */
export type NumericTensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

export type TensorData = NumericTensorData | string[];

/** Zeroed storage for `length` elements of a datatype. */
export function allocateTensorData(datatype: TensorDataType, length: number): TensorData {
  switch (datatype) {
    case 'FP32':
      return new Float32Array(length);
    case 'FP64':
      return new Float64Array(length);
    case 'INT8':
      return new Int8Array(length);
    case 'UINT8':
    case 'BOOL':
      return new Uint8Array(length);
    case 'INT16':
      return new Int16Array(length);
    case 'UINT16':
      return new Uint16Array(length);
    case 'INT32':
      return new Int32Array(length);
    case 'UINT32':
      return new Uint32Array(length);
    case 'INT64':
      return new BigInt64Array(length);
    case 'UINT64':
      return new BigUint64Array(length);
    case 'BYTES':
      return new Array<string>(length).fill('');
  }
}
