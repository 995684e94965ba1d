import { type S3Client } from '@aws-sdk/client-s3';

import { type ArtifactStoreConfig, type DeepReadonly } from '@fledge/config';

import { type ArtifactStore } from './artifact-store.js';
import { LocalArtifactStore } from './local-artifact-store.adapter.js';
import { createS3Client, S3ArtifactStore } from './s3-artifact-store.adapter.js';

/** Builds the store a process's config selects (`FLEDGE_ARTIFACT_STORE`). */
export function createArtifactStore(
  config: DeepReadonly<ArtifactStoreConfig>,
  overrides: { s3Client?: S3Client } = {},
): ArtifactStore {
  switch (config.kind) {
    case 'local':
      return new LocalArtifactStore(config.root);
    case 's3':
      return new S3ArtifactStore({
        client: overrides.s3Client ?? createS3Client(config),
        bucket: config.bucket,
        partSizeBytes: config.partSizeBytes,
      });
  }
}
