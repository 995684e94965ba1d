export * from './classification.js';
export * from './regression.js';
export * from './percentiles.js';
export * from './compare.js';
