import { invalidArgument } from '@fledge/errors';

import { allocateTensorData, elementCount, type NamedTensor, type NumericTensorData } from './tensor.js';

/**
 * Stacks the same-named inputs of several requests along the first (batch) dimension. Every
 * request must list its inputs in the same order with equal trailing dimensions (validate first).
 */
export function concatBatch(requests: readonly (readonly NamedTensor[])[]): NamedTensor[] {
  const first = requests[0];
  if (!first) throw invalidArgument('an empty batch cannot be stacked', { reason: 'BATCH_EMPTY' });
  if (requests.length === 1) return [...first];
  return first.map((proto, k) => {
    let rows = 0;
    let length = 0;
    for (const r of requests) {
      rows += r[k].shape[0];
      length += r[k].data.length;
    }
    const shape = [rows, ...proto.shape.slice(1)];
    if (Array.isArray(proto.data)) {
      const out: string[] = [];
      for (const r of requests) for (const s of r[k].data as string[]) out.push(s);
      return { name: proto.name, datatype: proto.datatype, shape, data: out };
    }
    const out = allocateTensorData(proto.datatype, length) as NumericTensorData;
    let offset = 0;
    for (const r of requests) {
      const part = r[k].data as NumericTensorData;
      (out as Float32Array).set(part as Float32Array, offset);
      offset += part.length;
    }
    return { name: proto.name, datatype: proto.datatype, shape, data: out };
  });
}

/** Splits batched outputs back into one output list per request, given each request's rows. */
export function splitBatch(outputs: readonly NamedTensor[], rowsPerRequest: readonly number[]): NamedTensor[][] {
  if (rowsPerRequest.length === 1) return [[...outputs]];
  const result: NamedTensor[][] = rowsPerRequest.map(() => []);
  for (const out of outputs) {
    const perRow = out.shape[0] > 0 ? out.data.length / out.shape[0] : elementCount(out.shape.slice(1));
    let row = 0;
    rowsPerRequest.forEach((rows, i) => {
      const start = row * perRow;
      const end = (row + rows) * perRow;
      const data = Array.isArray(out.data)
        ? out.data.slice(start, end)
        : (out.data as NumericTensorData).subarray(start, end);
      result[i].push({ name: out.name, datatype: out.datatype, shape: [rows, ...out.shape.slice(1)], data });
      row += rows;
    });
  }
  return result;
}
