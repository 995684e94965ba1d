import { type PredictionSpec, rowPredictions, type RowPredictions } from '@fledge/domain';
import { FledgeError, invalidArgument, toWireError, type WireError } from '@fledge/errors';

import { concatBatch, splitBatch } from '../batch.util.js';
import { hasDynamicBatchDim, type ModelSignature, validateInputs } from '../model-signature.js';
import { type NamedTensor } from '../tensor.js';
import { decodeInferRequest, encodeResponseParts, inferenceHeaderLength, type ResponseParts } from './oip.codec.js';
import { type InferRequest } from './oip.types.js';

// The data plane's work on request bodies, as one inference thread does it for a group of
// requests to one model: decode (JSON or binary), validate against the signature, stack the valid
// ones into runs, run, split, pick the outputs asked for, encode the answers, and read each
// answer's predictions for shadow comparison. Pure apart from `run`: the worker passes
// onnxruntime, tests a stand-in.

export interface InferBody {
  /** The request body (the view's buffer may hold other bytes around it). */
  body: Uint8Array;
  /** The Inference-Header-Content-Length header as received (binary data extension). */
  headerLength?: string;
  /** Encode an answer (shadow runs only need the prediction summary). */
  respond: boolean;
  /** Read the answer's predictions through the model's prediction spec. */
  summarize: boolean;
}

export interface InferBatchOptions {
  signature: ModelSignature;
  /** Rows stacked into one run at most; requests of more rows run alone. */
  maxBatchRows: number;
  /** The answer's `model_name` (the endpoint) and `model_version`. */
  modelName: string;
  modelVersion: string;
  /** What the model predicts (summaries); null: no summary can be read. */
  prediction: PredictionSpec | null;
}

/** Each row's prediction as the spec reads it; null when the outputs do not fit the spec. */
export type PredictionSummary = RowPredictions | null;

export type InferBodyResult =
  | {
      ok: true;
      rows: number;
      /** The encoded answer (when asked to respond). */
      response?: ResponseParts;
      /** When asked to summarize. */
      summary?: PredictionSummary;
    }
  | {
      ok: false;
      error: WireError;
      /** The request was decoded and valid (it failed in or after its run). */
      validated: boolean;
    };

export type RunModel = (inputs: NamedTensor[]) => Promise<NamedTensor[]>;

interface Valid {
  index: number;
  request: InferRequest;
  inputs: NamedTensor[];
  rows: number;
}

/** Each row's prediction read through `prediction`; null without a spec or when the outputs do not fit it. */
export function predictionSummary(
  prediction: PredictionSpec | null,
  outputs: readonly NamedTensor[],
): PredictionSummary {
  if (!prediction) return null;
  try {
    return rowPredictions(prediction, outputs);
  } catch {
    return null;
  }
}

/** A request body decoded (not yet validated against a signature), or why it could not be. */
export type DecodedBody = { ok: true; request: InferRequest } | { ok: false; error: WireError };

/** Decodes request bodies (JSON or binary); a bad body fails alone. */
export function decodeBodies(bodies: readonly InferBody[]): DecodedBody[] {
  return bodies.map((b) => {
    try {
      return { ok: true, request: decodeInferRequest(b.body, inferenceHeaderLength(b.headerLength)) };
    } catch (error) {
      return { ok: false, error: toWireError(error) };
    }
  });
}

/**
 * Decodes, validates, runs and encodes a group of requests to one model. Every request gets its
 * own result: a bad body fails alone, and a run that fails with several requests stacked is
 * rerun one request at a time, so one bad request never fails its batch-mates. `onRun` hears of
 * every model run (rows, milliseconds). `decoded` reuses bodies already decoded (a shadow model
 * answering the requests its primary decoded).
 */
export async function inferBodies(
  bodies: readonly InferBody[],
  options: InferBatchOptions,
  run: RunModel,
  onRun: (rows: number, ms: number) => void = () => undefined,
  decoded: readonly DecodedBody[] = decodeBodies(bodies),
): Promise<InferBodyResult[]> {
  const results: InferBodyResult[] = new Array(bodies.length);
  const batchable = hasDynamicBatchDim(options.signature);
  const valid: Valid[] = [];
  decoded.forEach((d, index) => {
    if (!d.ok) {
      results[index] = { ok: false, error: d.error, validated: false };
      return;
    }
    try {
      const inputs = validateInputs(options.signature, d.request.inputs);
      valid.push({ index, request: d.request, inputs, rows: batchable ? inputs[0].shape[0] : 1 });
    } catch (error) {
      results[index] = { ok: false, error: toWireError(error), validated: false };
    }
  });
  for (const group of groups(valid, batchable ? options.maxBatchRows : 1)) {
    await runGroup(group, bodies, options, run, onRun, results);
  }
  return results;
}

/**
 * A shadow model answering some of a group's requests, reusing what the primary decoded (no
 * second decode): only the bodies `primary` found valid are run (a body the primary refused gets
 * null), each for its prediction summary only.
 */
export async function inferShadow(
  bodies: readonly InferBody[],
  decoded: readonly DecodedBody[],
  primary: readonly ({ ok: true } | { ok: false; validated: boolean })[],
  indices: readonly number[],
  options: InferBatchOptions,
  run: RunModel,
  onRun: (rows: number, ms: number) => void = () => undefined,
): Promise<(InferBodyResult | null)[]> {
  const mirrored = indices.filter((i) => {
    const r = primary[i];
    return r.ok || r.validated;
  });
  const results = await inferBodies(
    mirrored.map((i) => ({ ...bodies[i], respond: false, summarize: options.prediction !== null })),
    options,
    run,
    onRun,
    mirrored.map((i) => decoded[i]),
  );
  const byBody = new Map(mirrored.map((i, k) => [i, results[k]]));
  return indices.map((i) => byBody.get(i) ?? null);
}

/** Consecutive requests whose rows fit `maxRows` together (a larger request runs alone). */
function groups(valid: Valid[], maxRows: number): Valid[][] {
  const out: Valid[][] = [];
  let current: Valid[] = [];
  let rows = 0;
  for (const v of valid) {
    if (current.length > 0 && rows + v.rows > maxRows) {
      out.push(current);
      current = [];
      rows = 0;
    }
    current.push(v);
    rows += v.rows;
  }
  if (current.length > 0) out.push(current);
  return out;
}

async function runGroup(
  group: Valid[],
  bodies: readonly InferBody[],
  options: InferBatchOptions,
  run: RunModel,
  onRun: (rows: number, ms: number) => void,
  results: InferBodyResult[],
): Promise<void> {
  const rows = group.reduce((n, v) => n + v.rows, 0);
  let outputs: NamedTensor[];
  const started = performance.now();
  try {
    outputs = await run(group.length === 1 ? group[0].inputs : concatBatch(group.map((v) => v.inputs)));
  } catch (error) {
    onRun(rows, performance.now() - started);
    if (group.length > 1 && FledgeError.is(error) && error.reason === 'MODEL_RUN_FAILED') {
      for (const v of group) await runGroup([v], bodies, options, run, onRun, results);
      return;
    }
    for (const v of group) results[v.index] = { ok: false, error: toWireError(error), validated: true };
    return;
  }
  onRun(rows, performance.now() - started);
  const parts =
    group.length === 1
      ? [outputs]
      : splitBatch(
          outputs,
          group.map((v) => v.rows),
        );
  group.forEach((v, i) => {
    results[v.index] = answer(v, parts[i], bodies[v.index], options);
  });
}

function answer(v: Valid, outputs: NamedTensor[], body: InferBody, options: InferBatchOptions): InferBodyResult {
  const summary = body.summarize ? predictionSummary(options.prediction, outputs) : undefined;
  if (!body.respond) return { ok: true, rows: v.rows, summary };
  try {
    const selected = selectOutputs(outputs, v.request);
    const binaryNames = new Set(
      v.request.outputs.length > 0
        ? v.request.outputs.filter((o) => o.binary).map((o) => o.name)
        : v.request.binaryOutputs
          ? selected.map((o) => o.name)
          : [],
    );
    const response = encodeResponseParts(
      { modelName: options.modelName, modelVersion: options.modelVersion, id: v.request.id, outputs: selected },
      binaryNames,
    );
    return { ok: true, rows: v.rows, response, ...(summary !== undefined ? { summary } : {}) };
  } catch (error) {
    return { ok: false, error: toWireError(error), validated: true };
  }
}

function selectOutputs(outputs: NamedTensor[], request: InferRequest): NamedTensor[] {
  if (request.outputs.length === 0) return outputs;
  return request.outputs.map((o) => {
    const found = outputs.find((x) => x.name === o.name);
    if (!found) throw invalidArgument(`unknown output ${o.name}`, { reason: 'OUTPUT_UNKNOWN' });
    return found;
  });
}
