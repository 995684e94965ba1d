export * from './prediction.types.js';
export * from './prediction-spec.js';
export * from './predictions.js';
