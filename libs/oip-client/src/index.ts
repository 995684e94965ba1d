export * from './oip-client.js';
export * from './traffic.js';
