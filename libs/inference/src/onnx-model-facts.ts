import onnxProto from 'onnx-proto';
import { invalidArgument } from '@fledge/errors';

import { type ModelSignature } from './model-signature.js';
import { allocateTensorData, type NamedTensor } from './tensor.js';

const { onnx } = onnxProto;
type NodeProto = onnxProto.onnx.INodeProto;
type TensorProto = onnxProto.onnx.ITensorProto;

/** The newest ONNX IR version onnxruntime-node 1.30 loads (onnx 1.23 writes 14 by default). */
export const MAX_SUPPORTED_IR_VERSION = 13;

/** What Fledge reads from an ONNX file itself, beside what onnxruntime reports. */
export interface OnnxFileFacts {
  irVersion: number;
  /** Opset version per domain ('' is the default ONNX domain). */
  opsets: Record<string, number>;
  /** Class labels the graph carries for an output, by output name (see {@link readOnnxFacts}). */
  outputClasses: Record<string, string[]>;
}

const CLASS_ATTRIBUTES = ['classlabels_strings', 'classlabels_int64s', 'classlabels_ints'];
/** Ops that pass their first input's values through, so a label's classes are found upstream. */
const PASS_THROUGH = new Set(['Identity', 'Cast', 'Reshape', 'Squeeze', 'Unsqueeze', 'Flatten', 'CastLike']);
/** Ops that pick entries of a constant class list by index (skl2onnx's MLP and pipelines). */
const LOOKUP = new Set(['ArrayFeatureExtractor', 'Gather']);
const decoder = new TextDecoder();

function fail(message: string, details?: Record<string, unknown>): never {
  throw invalidArgument(message, { reason: 'ONNX_UNREADABLE', details });
}

/**
 * Decodes an ONNX file's protobuf and reads what registration needs beyond the signature: the IR
 * version and opsets (an IR too new for onnxruntime is refused, saying how to re-export), and each
 * output's class labels — from an ONNX-ML classifier's `classlabels_*` attribute (LinearClassifier,
 * TreeEnsembleClassifier, SVMClassifier, …) or from a constant class list the label is looked up
 * in, following Identity/Cast/Reshape on the way.
 */
export function readOnnxFacts(bytes: Uint8Array): OnnxFileFacts {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    fail(`the file is not an ONNX model (its protobuf does not decode: ${(error as Error).message})`);
  }
  const irVersion = Number(model.irVersion ?? 0);
  if (!model.graph || irVersion <= 0) fail('the file is not an ONNX model (no graph or IR version)');
  if (irVersion > MAX_SUPPORTED_IR_VERSION) {
    fail(
      `the model uses ONNX IR version ${irVersion}; this runtime loads IR versions up to ${MAX_SUPPORTED_IR_VERSION}. ` +
        `Re-export it for an older IR: with onnx, set model.ir_version = ${MAX_SUPPORTED_IR_VERSION} (or lower) before onnx.save; ` +
        `skl2onnx and torch.onnx.export take target_opset / opset_version ≤ 21.`,
      { irVersion, maxIrVersion: MAX_SUPPORTED_IR_VERSION },
    );
  }
  const opsets: Record<string, number> = {};
  for (const o of model.opsetImport ?? []) opsets[o.domain ?? ''] = Number(o.version ?? 0);

  let outputClasses: Record<string, string[]> = {};
  try {
    outputClasses = readOutputClasses(model.graph);
  } catch {
    // A graph too odd to follow still loads (or not) in onnxruntime; it just carries no class names here.
  }
  return { irVersion, opsets, outputClasses };
}

function readOutputClasses(graph: onnxProto.onnx.IGraphProto): Record<string, string[]> {
  const producers = new Map<string, NodeProto>();
  for (const node of graph.node ?? []) for (const out of node.output ?? []) producers.set(out, node);
  const constants = new Map<string, TensorProto>();
  for (const t of graph.initializer ?? []) if (t.name) constants.set(t.name, t);
  for (const node of graph.node ?? []) {
    if (node.opType === 'Constant' && node.output?.[0]) {
      const value = node.attribute?.find((a) => a.name === 'value')?.t;
      if (value) constants.set(node.output[0], value);
    }
  }

  const classesOf = (name: string, depth: number): string[] | undefined => {
    const node = producers.get(name);
    if (!node || depth > 16) return undefined;
    for (const attrName of CLASS_ATTRIBUTES) {
      const a = node.attribute?.find((x) => x.name === attrName);
      if (a && (a.strings?.length || a.ints?.length)) {
        return a.strings?.length ? a.strings.map((s) => decoder.decode(s)) : a.ints!.map((i) => String(i));
      }
    }
    if (LOOKUP.has(node.opType ?? '') && node.input?.[0]) {
      const table = constants.get(node.input[0]);
      if (table) return tensorTexts(table);
    }
    if (PASS_THROUGH.has(node.opType ?? '') && node.input?.[0]) return classesOf(node.input[0], depth + 1);
    return undefined;
  };

  const outputClasses: Record<string, string[]> = {};
  for (const out of graph.output ?? []) {
    const classes = out.name ? classesOf(out.name, 0) : undefined;
    if (classes && classes.length > 0) outputClasses[out.name!] = classes;
  }
  return outputClasses;
}

function tensorTexts(t: TensorProto): string[] | undefined {
  if (t.stringData?.length) return t.stringData.map((s) => decoder.decode(s));
  if (t.int64Data?.length) return t.int64Data.map((v) => String(v));
  if (t.int32Data?.length) return t.int32Data.map((v) => String(v));
  const raw = t.rawData;
  if (raw?.length) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    if (t.dataType === onnx.TensorProto.DataType.INT64) {
      return Array.from({ length: raw.byteLength / 8 }, (_, i) => String(view.getBigInt64(i * 8, true)));
    }
    if (t.dataType === onnx.TensorProto.DataType.INT32) {
      return Array.from({ length: raw.byteLength / 4 }, (_, i) => String(view.getInt32(i * 4, true)));
    }
  }
  return undefined;
}

/**
 * Inputs for probe runs: one row per input, dynamic dimensions as 1, filled from a seeded
 * generator (zeros for seed 0), so a model's score outputs can be checked on more than zeros.
 */
export function probeInputs(signature: ModelSignature, seed: number): NamedTensor[] {
  let s = (seed * 2654435761) >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0xffffffff;
  };
  return signature.inputs.map((spec) => {
    const shape = spec.shape.map((d) => (d === -1 ? 1 : d));
    const size = shape.reduce((a, b) => a * b, 1);
    const data = allocateTensorData(spec.datatype, size);
    if (seed !== 0) {
      for (let i = 0; i < size; i++) {
        if (data instanceof Float32Array || data instanceof Float64Array) data[i] = next() * 4 - 2;
        else if (data instanceof BigInt64Array) data[i] = BigInt(Math.floor(next() * 4));
        else if (Array.isArray(data)) data[i] = 'probe';
        else (data as Uint8Array)[i] = Math.floor(next() * 2);
      }
    }
    return { name: spec.name, datatype: spec.datatype, shape, data };
  });
}

/** True when every row of a `[rows, classes]` output lies in [0, 1] and sums to 1 (probabilities). */
export function rowsAreProbabilities(t: NamedTensor): boolean {
  const data = t.data as ArrayLike<number>;
  const width = t.shape[1];
  if (!(width > 1) || data.length === 0 || data.length % width !== 0) return false;
  for (let base = 0; base < data.length; base += width) {
    let sum = 0;
    for (let k = 0; k < width; k++) {
      const p = Number(data[base + k]);
      if (!(p >= -1e-6 && p <= 1 + 1e-6)) return false;
      sum += p;
    }
    if (Math.abs(sum - 1) > 1e-3) return false;
  }
  return true;
}
