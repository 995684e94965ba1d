import { integrityError, notFound } from '@fledge/errors';

export const uploadMismatch = (uri: string, expectedSha256: string, actualSha256: string) =>
  integrityError(`Uploaded bytes do not match the expected sha256; nothing was stored at ${uri}`, {
    reason: 'ARTIFACT_SHA256_MISMATCH',
    details: { uri, expectedSha256, actualSha256 },
  });

export const artifactNotFound = (uri: string) =>
  notFound(`No artifact at ${uri}`, { reason: 'ARTIFACT_NOT_FOUND', details: { uri } });
