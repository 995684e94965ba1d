export { gradingWorkflow } from './grading.workflow.js';
