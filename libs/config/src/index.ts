export * from './api.config.js';
export * from './boot-config.js';
export * from './cli.config.js';
export {
  type ArtifactStoreConfig,
  type DatabaseConfig,
  FLEDGE_MODES,
  type FledgeMode,
  LOG_LEVELS,
  type LogLevel,
  type S3Credentials,
} from './common.config.js';
export * from './config-error.js';
export { type DeepReadonly } from './deep-freeze.util.js';
export { type Env, parseBytes } from './env-var.util.js';
export * from './secret.js';
export {
  loadSageMakerContainerConfig,
  type SageMakerBackendConfig,
  type SageMakerContainerConfig,
} from './sagemaker.config.js';
export * from './serving.config.js';
export * from './worker.config.js';
export * from './standalone.config.js';
