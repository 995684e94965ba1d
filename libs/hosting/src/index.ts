export * from './hosting-backend.js';
export * from './local-hosting.adapter.js';
export * from './sagemaker/aws-clients.js';
export { CREDENTIAL_SETTINGS } from './sagemaker/aws-errors.js';
export { type AlarmWebhook } from './sagemaker/cloudwatch-alarms.js';
export { CloudWatchVariantMetrics, type MeteredVariant } from './sagemaker/cloudwatch-metrics.js';
export { ModelPackager, writeModelPackage, type ArtifactReader, type ModelPackage } from './sagemaker/model-package.js';
export { SageMakerNames } from './sagemaker/sagemaker-names.js';
export { SageMakerHostingBackend, type SageMakerHostingOptions } from './sagemaker/sagemaker-hosting.adapter.js';
