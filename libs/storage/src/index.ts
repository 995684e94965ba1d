export * from './artifact-key.js';
export * from './artifact-store.js';
export * from './artifact-store.factory.js';
export { DigestStream, type DigestStreamOptions } from './digest.util.js';
export { LocalArtifactStore } from './local-artifact-store.adapter.js';
export {
  createS3Client,
  ensureBucket,
  S3ArtifactStore,
  type S3ArtifactStoreConfig,
  type S3ArtifactStoreOptions,
} from './s3-artifact-store.adapter.js';
