export * from './tensor.js';
export * from './tensor-codec.js';
export * from './batch.util.js';
export * from './model-signature.js';
export * from './inference-pool.js';
export * from './model-runtime.js';
export * from './onnx-model-facts.js';
export * from './oip/json-scanner.js';
export * from './oip/oip.codec.js';
export * from './oip/oip.types.js';
export * from './oip/infer-batch.js';
export type {
  WireInferBody,
  WireInferOptions,
  WireInferReply,
  WireInferResult,
  WireShadowReply,
  WireShadowRun,
} from './worker/worker-protocol.js';
export { startWorker, workerModuleUrl } from './worker/worker-thread.js';
