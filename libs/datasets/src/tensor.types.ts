import { type TensorDataType, type TensorSpec } from '@fledge/domain';

export type { TensorDataType, TensorSpec };

/** The element storage of a tensor; BYTES tensors hold strings. */
export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | string[];

/** A batch of one model input, shaped `[rows, ...non-batch dims]` (the `NamedTensor` shape of libs/inference). */
export interface BatchTensor {
  readonly name: string;
  readonly datatype: TensorDataType;
  readonly shape: number[];
  readonly data: TensorData;
}

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

/** The first `length` elements, without copying typed arrays. */
export function headOf(data: TensorData, length: number): TensorData {
  if (length === data.length) return data;
  return Array.isArray(data) ? data.slice(0, length) : data.subarray(0, length);
}
