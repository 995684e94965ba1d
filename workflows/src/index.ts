export * from './contracts/task-queues.js';
export * from './contracts/grading.contract.js';
