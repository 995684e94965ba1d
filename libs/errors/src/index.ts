export * from './error-code.js';
export * from './fledge-error.js';
export * from './http-status.js';
export * from './redact-internals.js';
export * from './wire-error.js';
