import { type ModelSignature, type TensorSpec } from '@fledge/domain';
import { invalidArgument } from '@fledge/errors';

import { allocateTensorData, dataTypeOfOrt, elementCount, type NamedTensor } from './tensor.js';

export type { ModelSignature, TensorSpec };

/** What onnxruntime reports per input/output (`session.inputMetadata`). */
export interface RawValueMetadata {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: ReadonlyArray<number | string>;
}

function specOf(meta: RawValueMetadata): TensorSpec {
  if (!meta.isTensor || !meta.type) {
    throw invalidArgument(`model value ${meta.name} is not a tensor (maps and sequences are not supported)`, {
      reason: 'MODEL_NON_TENSOR_VALUE',
    });
  }
  return {
    name: meta.name,
    datatype: dataTypeOfOrt(meta.type),
    shape: (meta.shape ?? []).map((d) => (typeof d === 'number' && d >= 0 ? d : -1)),
  };
}

export function signatureFromMetadata(inputs: RawValueMetadata[], outputs: RawValueMetadata[]): ModelSignature {
  return { inputs: inputs.map(specOf), outputs: outputs.map(specOf) };
}

/** True when every input and output has a dynamic first dimension, so requests can be stacked. */
export function hasDynamicBatchDim(signature: ModelSignature): boolean {
  const all = [...signature.inputs, ...signature.outputs];
  return all.length > 0 && all.every((s) => s.shape.length > 0 && s.shape[0] === -1);
}

/**
 * Checks request tensors against the signature: every input present once, known names only,
 * matching datatype, rank, fixed dimensions, and a data length equal to the shape's product.
 * Returns the tensors in signature order. Errors name the offending input.
 */
export function validateInputs(signature: ModelSignature, tensors: readonly NamedTensor[]): NamedTensor[] {
  const byName = new Map<string, NamedTensor>();
  for (const t of tensors) {
    if (byName.has(t.name)) throw bad(`input ${t.name} appears twice`, 'INPUT_DUPLICATE');
    byName.set(t.name, t);
  }
  const ordered: NamedTensor[] = [];
  for (const spec of signature.inputs) {
    const t = byName.get(spec.name);
    if (!t) throw bad(`missing input ${spec.name}`, 'INPUT_MISSING');
    byName.delete(spec.name);
    if (t.datatype !== spec.datatype) {
      throw bad(
        `input ${spec.name}: datatype ${t.datatype} does not match the model's ${spec.datatype}`,
        'INPUT_DATATYPE',
      );
    }
    const shapeOk =
      t.shape.length === spec.shape.length &&
      t.shape.every((d, i) => Number.isInteger(d) && d >= 0 && (spec.shape[i] === -1 || spec.shape[i] === d));
    if (!shapeOk) {
      throw bad(
        `input ${spec.name}: shape [${t.shape.join(',')}] does not match the model's [${spec.shape.join(',')}]`,
        'INPUT_SHAPE',
      );
    }
    const expected = elementCount(t.shape);
    if (t.data.length !== expected) {
      throw bad(
        `input ${spec.name}: ${t.data.length} values for shape [${t.shape.join(',')}] (expected ${expected})`,
        'INPUT_DATA_LENGTH',
      );
    }
    ordered.push(t);
  }
  const unknown = [...byName.keys()];
  if (unknown.length > 0) throw bad(`unknown input ${unknown.join(', ')}`, 'INPUT_UNKNOWN');
  return ordered;
}

/** Zero-filled inputs of the signature's shape (dynamic dimensions → 1) for warm-up runs. */
export function warmupInputs(signature: ModelSignature): NamedTensor[] {
  return signature.inputs.map((spec) => {
    const shape = spec.shape.map((d) => (d === -1 ? 1 : d));
    return {
      name: spec.name,
      datatype: spec.datatype,
      shape,
      data: allocateTensorData(spec.datatype, elementCount(shape)),
    };
  });
}

function bad(message: string, reason: string) {
  return invalidArgument(message, { reason });
}
