export * from './dataset.types.js';
export { DatasetErrorReason, type RowPosition } from './dataset.errors.js';
export { readDatasetRows } from './dataset-rows.reader.js';
export * from './dataset.inspector.js';
export type { BatchTensor, TensorData, TensorDataType, TensorSpec } from './tensor.types.js';
export * from './label.indexer.js';
export * from './row.decoder.js';
export * from './batch.builder.js';
export * from './dataset-batches.reader.js';
