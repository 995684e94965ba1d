export { createFledgeWorker, type FledgeWorkerOptions } from './fledge-worker.js';
export { createWorkerApp, installTemporalLogger, type WorkerApp, type WorkerAppOptions } from './worker-app.js';
export { createGradingActivities, type GradingDeps } from './activities/grading.activities.js';
export { gradeStream, type GradeStreamOptions } from './grading/dataset-grader.js';
export { bundleWorkflows } from './workflow-bundler.js';
