import { invalidArgument } from '@fledge/errors';

declare const artifactKeyBrand: unique symbol;

/**
 * A storage key that was built from validated ids (never from raw user strings). Only the
 * functions of this module produce one, so a key with `..`, `/` inside a component, upper case
 * or any other surprise cannot exist.
 */
export type ArtifactKey = string & { readonly [artifactKeyBrand]: true };

/** Ids are lower-case UUIDs or similar slugs: `[a-z0-9-]`, no leading or trailing hyphen. */
const ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
/** Fixed file names of the layout (e.g. `model.onnx`); dots allowed but never two in a row. */
const SEGMENT_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?$/;
const MAX_KEY_LENGTH = 512;

function checkedId(value: unknown, name: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value))
    throw invalidArgument(`${name} is not a valid id for an artifact key (expected [a-z0-9-], e.g. a UUID)`, {
      reason: 'ARTIFACT_KEY_INVALID',
      details: { component: name },
    });
  return value;
}

function keyOf(segments: readonly string[]): ArtifactKey {
  return segments.join('/') as ArtifactKey;
}

export function modelVersionArtifactKey(modelId: string, versionId: string): ArtifactKey {
  return keyOf(['models', checkedId(modelId, 'modelId'), 'versions', checkedId(versionId, 'versionId'), 'model.onnx']);
}

export function datasetVersionArtifactKey(datasetId: string, versionId: string): ArtifactKey {
  return keyOf(['datasets', checkedId(datasetId, 'datasetId'), 'versions', checkedId(versionId, 'versionId'), 'data']);
}

/** Where an upload lands before it is attached to a model or dataset version. */
export function uploadKey(uploadId: string): ArtifactKey {
  return keyOf(['uploads', checkedId(uploadId, 'uploadId')]);
}

/**
 * Re-validates a key read back from a stored URI. Same grammar as the builders produce, so a
 * tampered URI (`../`, absolute paths, odd characters) is refused before any IO happens.
 */
export function parseArtifactKey(raw: string): ArtifactKey {
  const segments = raw.split('/');
  const valid =
    raw.length > 0 &&
    raw.length <= MAX_KEY_LENGTH &&
    segments.every((segment) => SEGMENT_PATTERN.test(segment) && !segment.includes('..'));
  if (!valid)
    throw invalidArgument('Not a valid artifact key', {
      reason: 'ARTIFACT_KEY_INVALID',
      details: { key: raw.slice(0, 200) },
    });
  return raw as ArtifactKey;
}
