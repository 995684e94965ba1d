export * from './hosting-backend.js';
export * from './local-hosting.adapter.js';
