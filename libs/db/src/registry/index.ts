export * from './db-client.js';
export * from './cursor.js';
export * from './model.repository.js';
export * from './dataset.repository.js';
export * from './api-key.repository.js';
export * from './upload.repository.js';
export * from './lineage.repository.js';
export * from './evaluation.repository.js';
