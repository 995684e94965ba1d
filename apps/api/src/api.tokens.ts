/** DI tokens for the values the API is built from (see ApiContext). */
export const DB = Symbol('DB');
export const ARTIFACT_STORE = Symbol('ARTIFACT_STORE');
export const API_SETTINGS = Symbol('API_SETTINGS');
export const MODEL_INSPECTOR = Symbol('MODEL_INSPECTOR');
export const GRADING_LAUNCHER = Symbol('GRADING_LAUNCHER');
export const ROLLOUT_WORKFLOWS = Symbol('ROLLOUT_WORKFLOWS');
export const SNS_VERIFIER = Symbol('SNS_VERIFIER');
export const HOSTING_BACKENDS = Symbol('HOSTING_BACKENDS');
