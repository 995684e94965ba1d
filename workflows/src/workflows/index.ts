export { gradingWorkflow } from './grading.workflow.js';
export { rolloutWorkflow } from './rollout.workflow.js';
