export * from './dataset.types.js';
export * from './dataset.errors.js';
export { readDatasetRows } from './dataset-rows.reader.js';
export * from './dataset.inspector.js';
export * from './tensor.types.js';
export * from './label.indexer.js';
export * from './row.decoder.js';
export * from './batch.builder.js';
export * from './dataset-batches.reader.js';
