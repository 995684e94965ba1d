export * from './test-database.js';
export * from './stack-env.js';
export * from './test-api.js';
export * from './server-process.js';
export * from './fledge-processes.js';
export * from './embedded-up.js';
