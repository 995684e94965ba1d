import { allocateTensorData, type TensorData, type TensorDataType, type TensorSpec } from '@fledge/domain';

export type { TensorData, TensorDataType, TensorSpec };
export { allocateTensorData };

/** A batch of one model input, shaped `[rows, ...non-batch dims]` (the `NamedTensor` shape of libs/inference). */
export interface BatchTensor {
  readonly name: string;
  readonly datatype: TensorDataType;
  readonly shape: number[];
  readonly data: TensorData;
}

/** The first `length` elements, without copying typed arrays. */
export function headOf(data: TensorData, length: number): TensorData {
  if (length === data.length) return data;
  return Array.isArray(data) ? data.slice(0, length) : data.subarray(0, length);
}
