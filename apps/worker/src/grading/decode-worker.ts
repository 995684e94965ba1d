// A decode thread of the grading pipeline: record slices in, rows decoded into the shared batch
// buffers the grader hands to ORT. JSON Lines rows are read by serving's JSON scanner.
import { parentPort, workerData } from 'node:worker_threads';

import { createRowDecoder, SliceDecoder } from '@fledge/datasets';
import { toWireError } from '@fledge/errors';
import { parseJsonBytes } from '@fledge/inference';

import { type DecodeReply, type DecodeRequest, type DecodeWorkerData } from './decode-protocol.js';

const init = workerData as DecodeWorkerData;
const slices = new SliceDecoder({
  format: init.format,
  decoder: createRowDecoder(init.decoder),
  header: init.header,
  parseJson: (bytes) => parseJsonBytes(bytes),
});

parentPort!.on('message', (message: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    const decoded = slices.decode(message.slice, message.inputs, message.labels);
    reply = { id: message.id, ok: true, ...decoded };
  } catch (error) {
    reply = {
      id: message.id,
      ok: false,
      error: toWireError(error),
    };
  }
  parentPort!.postMessage(reply);
});
