// `@fledge/hosting/sagemaker`: the SageMaker adapter and what it is built from. Everything here loads
// the AWS SDK's SageMaker, CloudWatch, SNS and S3 clients, so the package's main entry only points
// here lazily (createSageMakerBackend) and a process without a SageMaker backend never loads them.
export * from './aws-clients.js';
export { CloudWatchVariantMetrics, type MeteredVariant } from './cloudwatch-metrics.js';
export { ModelPackager, writeModelPackage, type ModelPackage } from './model-package.js';
export { SageMakerHostingBackend, type SageMakerHostingOptions } from './sagemaker-hosting.adapter.js';
export { buildSageMakerBackend } from './sagemaker-backend.factory.js';
