// One inference thread: owns onnxruntime sessions and runs them synchronously, off the event loop
// of the HTTP front. Loaded directly by Node (type stripping), so it imports types only.
import { parentPort } from 'node:worker_threads';

import ort from 'onnxruntime-node';

import type { WireTensor, WireValueMetadata, WorkerRequest, WorkerResponse } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('ort-worker must run in a worker thread');

const sessions = new Map<string, ort.InferenceSession>();

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

async function handle(msg: WorkerRequest): Promise<void> {
  switch (msg.op) {
    case 'run': {
      const session = sessions.get(msg.key);
      if (!session) throw new Error(`model ${msg.key} is not loaded in this worker`);
      const feeds: Record<string, ort.Tensor> = {};
      for (const input of msg.inputs) {
        feeds[input.name] = new ort.Tensor(input.type as 'float32', input.data as Float32Array, input.dims);
      }
      const results = await session.run(feeds);
      const transfer: ArrayBuffer[] = [];
      const outputs = session.outputNames.map((name) => toWire(name, results[name], transfer));
      port!.postMessage({ id: msg.id, ok: true, outputs } satisfies WorkerResponse, transfer);
      return;
    }
    case 'load': {
      let session = sessions.get(msg.key);
      if (!session) {
        session = await ort.InferenceSession.create(msg.path, {
          intraOpNumThreads: msg.options.intraOpNumThreads,
          interOpNumThreads: msg.options.interOpNumThreads,
          graphOptimizationLevel: msg.options.graphOptimizationLevel,
          executionMode: 'sequential',
          // Run failures are returned to the caller; onnxruntime's own stderr line would duplicate them.
          logSeverityLevel: 4,
        });
        sessions.set(msg.key, session);
      }
      const reply: WorkerResponse = {
        id: msg.id,
        ok: true,
        inputs: metadata(session.inputMetadata),
        outputMeta: metadata(session.outputMetadata),
      };
      port!.postMessage(reply);
      return;
    }
    case 'unload': {
      const session = sessions.get(msg.key);
      sessions.delete(msg.key);
      await session?.release();
      port!.postMessage({ id: msg.id, ok: true } satisfies WorkerResponse);
      return;
    }
    case 'crash':
      process.exit(70);
  }
}

port.on('message', (msg: WorkerRequest) => {
  handle(msg).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    port!.postMessage({ id: msg.id, ok: false, message } satisfies WorkerResponse);
  });
});
