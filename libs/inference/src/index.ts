export * from './tensor.js';
export * from './tensor-codec.js';
export * from './batch.util.js';
export * from './model-signature.js';
export * from './inference-pool.js';
export * from './model-runtime.js';
export * from './onnx-model-facts.js';
