export * from './hosting-backend.js';
export * from './local-hosting.adapter.js';
export * from './sagemaker-backend.js';
// Values that load no AWS SDK client; the SageMaker adapter itself is `@fledge/hosting/sagemaker`.
// Type-only exports (`export type`) are erased: they load nothing.
export { CREDENTIAL_SETTINGS } from './sagemaker/aws-errors.js';
export { SageMakerNames } from './sagemaker/sagemaker-names.js';
export type { AwsClients, AwsConnection, AwsCredentials } from './sagemaker/aws-clients.js';
export type { AlarmWebhook } from './sagemaker/cloudwatch-alarms.js';
export type { ArtifactReader } from './sagemaker/model-package.js';
export type { SageMakerHostingBackend, SageMakerHostingOptions } from './sagemaker/sagemaker-hosting.adapter.js';
