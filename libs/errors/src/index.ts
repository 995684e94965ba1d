export * from './error-code.js';
export * from './fledge-error.js';
