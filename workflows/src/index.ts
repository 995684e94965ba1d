export * from './contracts/task-queues.js';
export * from './contracts/grading.contract.js';
export * from './contracts/rollout.contract.js';
export * from './contracts/search-attributes.js';
