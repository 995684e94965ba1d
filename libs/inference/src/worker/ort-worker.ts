// One inference thread: owns onnxruntime sessions and runs them synchronously, off the event loop
// of the HTTP front. It also does the data plane's byte work on request bodies (decode, validate,
// batch, encode; see inferBodies), so the main thread only moves bytes.
import { parentPort } from 'node:worker_threads';

import ort from 'onnxruntime-node';
import { FledgeError } from '@fledge/errors';

import { type ModelSignature, signatureFromMetadata } from '../model-signature.js';
import { toWireError } from '@fledge/errors';

import { type DecodedBody, decodeBodies, inferBodies, inferShadow } from '../oip/infer-batch.js';
import { dataTypeOfOrt, type NamedTensor, ortTypeOf, type TensorData } from '../tensor.js';
import {
  type WireInferReply,
  type WireInferResult,
  type WireShadowReply,
  type WireTensor,
  type WireValueMetadata,
  type WorkerRequest,
  type WorkerResponse,
} from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('ort-worker must run in a worker thread');

interface Loaded {
  session: ort.InferenceSession;
  signature: ModelSignature;
}

const sessions = new Map<string, Loaded>();
let crashOnNextInfer = false;

function metadata(values: readonly ort.InferenceSession.ValueMetadata[]): WireValueMetadata[] {
  return values.map((v) =>
    v.isTensor
      ? { name: v.name, isTensor: true, type: v.type, shape: [...v.shape] }
      : { name: v.name, isTensor: false },
  );
}

function toWire(name: string, t: ort.Tensor, transfer: ArrayBuffer[]): WireTensor {
  if (t.type === 'string') return { name, type: t.type, dims: [...t.dims], data: t.data as string[] };
  let data = t.data as Float32Array;
  if (data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength || !(data.buffer instanceof ArrayBuffer)) {
    data = data.slice();
  }
  transfer.push(data.buffer as ArrayBuffer);
  return { name, type: t.type, dims: [...t.dims], data };
}

function loaded(key: string): Loaded {
  const found = sessions.get(key);
  if (!found) throw new Error(`model ${key} is not loaded in this worker`);
  return found;
}

function feedsOf(inputs: readonly { name: string; type: string; dims: readonly number[]; data: unknown }[]) {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of inputs) {
    feeds[input.name] = new ort.Tensor(input.type as 'float32', input.data as Float32Array, input.dims);
  }
  return feeds;
}

/** One session run over named tensors; onnxruntime's failures become MODEL_RUN_FAILED. */
async function runSession(session: ort.InferenceSession, inputs: NamedTensor[]): Promise<NamedTensor[]> {
  let results: ort.InferenceSession.ReturnType;
  try {
    results = await session.run(
      feedsOf(inputs.map((t) => ({ name: t.name, type: ortTypeOf(t.datatype), dims: t.shape, data: t.data }))),
    );
  } catch (error) {
    throw new FledgeError(
      'INTERNAL',
      `the model failed to run: ${error instanceof Error ? error.message : String(error)}`,
      {
        reason: 'MODEL_RUN_FAILED',
      },
    );
  }
  return session.outputNames.map((name) => {
    const t = results[name];
    return { name, datatype: dataTypeOfOrt(t.type), shape: [...t.dims], data: t.data as TensorData };
  });
}

type InferMessage = Extract<WorkerRequest, { op: 'infer' }>;

async function infer(msg: InferMessage, decoded: DecodedBody[]): Promise<WireInferReply> {
  const { session, signature } = loaded(msg.key);
  if (crashOnNextInfer) process.exit(70);
  const runs: { rows: number; ms: number }[] = [];
  const results = await inferBodies(
    msg.bodies,
    { signature, ...msg.options },
    (inputs) => runSession(session, inputs),
    (rows, ms) => runs.push({ rows, ms }),
    decoded,
  );
  // Lay every answer out in one buffer: one transfer back, whatever the number of answers.
  const texts: (Buffer | undefined)[] = results.map((r) =>
    r.ok && r.response ? Buffer.from(r.response.json, 'utf8') : undefined,
  );
  let total = 0;
  results.forEach((r, i) => {
    if (r.ok && r.response) total += texts[i]!.length + r.response.binaries.reduce((n, b) => n + b.byteLength, 0);
  });
  const responses = new ArrayBuffer(total);
  const out = new Uint8Array(responses);
  let at = 0;
  const wire = results.map((r, i): WireInferResult => {
    if (!r.ok) return r;
    if (!r.response) return { ok: true, rows: r.rows, offset: 0, length: 0, summary: r.summary };
    const start = at;
    const json = texts[i]!;
    out.set(json, at);
    at += json.length;
    for (const b of r.response.binaries) {
      out.set(b, at);
      at += b.byteLength;
    }
    const binary = r.response.binaries.length > 0;
    return {
      ok: true,
      rows: r.rows,
      offset: start,
      length: at - start,
      contentType: binary ? 'application/octet-stream' : 'application/json',
      ...(binary ? { jsonHeaderLength: json.length } : {}),
      ...(r.summary !== undefined ? { summary: r.summary } : {}),
    };
  });
  return { results: wire, responses, runs };
}

/**
 * The shadows of an `infer` message, run on the requests its primary decoded and found valid:
 * a shadow costs its model runs, not a second decode.
 */
async function shadows(
  msg: InferMessage,
  decoded: DecodedBody[],
  primary: readonly WireInferResult[],
): Promise<WireShadowReply[]> {
  const replies: WireShadowReply[] = [];
  for (const shadow of msg.shadows ?? []) {
    const runs: { rows: number; ms: number }[] = [];
    let results: WireShadowReply['results'];
    try {
      const { session, signature } = loaded(shadow.key);
      const answers = await inferShadow(
        msg.bodies,
        decoded,
        primary,
        shadow.bodies,
        { signature, ...shadow.options },
        (inputs) => runSession(session, inputs),
        (rows, ms) => runs.push({ rows, ms }),
      );
      results = answers.map((r) =>
        r === null || !r.ok ? r : { ok: true, rows: r.rows, offset: 0, length: 0, summary: r.summary },
      );
    } catch (error) {
      results = shadow.bodies.map(() => ({ ok: false, error: toWireError(error), validated: true }));
    }
    replies.push({ results, runs });
  }
  return replies;
}

async function handle(msg: WorkerRequest): Promise<void> {
  switch (msg.op) {
    case 'run': {
      const { session } = loaded(msg.key);
      const results = await session.run(feedsOf(msg.inputs));
      const transfer: ArrayBuffer[] = [];
      const outputs = session.outputNames.map((name) => toWire(name, results[name], transfer));
      port!.postMessage({ id: msg.id, ok: true, outputs } satisfies WorkerResponse, transfer);
      return;
    }
    case 'infer': {
      const decoded = decodeBodies(msg.bodies);
      const reply = await infer(msg, decoded);
      // The primary's answers leave before any shadow runs: a shadow never delays them.
      port!.postMessage({ id: msg.id, ok: true, infer: reply } satisfies WorkerResponse, [reply.responses]);
      if (msg.shadows && msg.shadows.length > 0) {
        const replies = await shadows(msg, decoded, reply.results);
        port!.postMessage({ id: msg.id, ok: true, shadows: replies } satisfies WorkerResponse);
      }
      return;
    }
    case 'load': {
      let entry = sessions.get(msg.key);
      if (!entry) {
        const session = await ort.InferenceSession.create(msg.path, {
          intraOpNumThreads: msg.options.intraOpNumThreads,
          interOpNumThreads: msg.options.interOpNumThreads,
          graphOptimizationLevel: msg.options.graphOptimizationLevel,
          executionMode: 'sequential',
          // Run failures are returned to the caller; onnxruntime's own stderr line would duplicate them.
          logSeverityLevel: 4,
        });
        entry = { session, signature: signatureOrEmpty(session) };
        sessions.set(msg.key, entry);
      }
      const reply: WorkerResponse = {
        id: msg.id,
        ok: true,
        inputs: metadata(entry.session.inputMetadata),
        outputMeta: metadata(entry.session.outputMetadata),
      };
      port!.postMessage(reply);
      return;
    }
    case 'unload': {
      const entry = sessions.get(msg.key);
      sessions.delete(msg.key);
      await entry?.session.release();
      port!.postMessage({ id: msg.id, ok: true } satisfies WorkerResponse);
      return;
    }
    case 'crash':
      if (msg.midBatch) crashOnNextInfer = true;
      else process.exit(70);
  }
}

/** The session's signature; models with non-tensor values (refused by the pool) get an empty one. */
function signatureOrEmpty(session: ort.InferenceSession): ModelSignature {
  try {
    return signatureFromMetadata(metadata(session.inputMetadata), metadata(session.outputMetadata));
  } catch {
    return { inputs: [], outputs: [] };
  }
}

port.on('message', (msg: WorkerRequest) => {
  handle(msg).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    port!.postMessage({ id: msg.id, ok: false, message } satisfies WorkerResponse);
  });
});
