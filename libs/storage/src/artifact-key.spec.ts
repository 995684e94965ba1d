import { describe, expect, it } from '@jest/globals';

import { FledgeError } from '@fledge/errors';

import { datasetVersionArtifactKey, modelVersionArtifactKey, parseArtifactKey, uploadKey } from './artifact-key.js';

const modelId = '0193a5b2-7c1d-7e2f-8a3b-4c5d6e7f8091';
const versionId = '0193a5b2-7c1d-7e2f-8a3b-4c5d6e7f8092';

function invalidArgumentOf(run: () => unknown): FledgeError {
  try {
    run();
  } catch (error) {
    if (FledgeError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a FledgeError');
}

describe('artifact keys', () => {
  it('are laid out from ids', () => {
    expect(modelVersionArtifactKey(modelId, versionId)).toBe(`models/${modelId}/versions/${versionId}/model.onnx`);
    expect(datasetVersionArtifactKey(modelId, versionId)).toBe(`datasets/${modelId}/versions/${versionId}/data`);
    expect(uploadKey('upload-42')).toBe('uploads/upload-42');
  });

  it.each([
    '../etc',
    '..',
    '../../etc/passwd',
    'a/../b',
    'a/b',
    '/abs',
    '.hidden',
    '',
    'UPPER',
    'white space',
    'tab\t',
    'x'.repeat(65),
    'trailing-',
    'a%2f..%2fb',
    'a\\..\\b',
    'née',
  ])('cannot be built from %j', (bad) => {
    for (const build of [
      () => modelVersionArtifactKey(bad, versionId),
      () => modelVersionArtifactKey(modelId, bad),
      () => datasetVersionArtifactKey(bad, versionId),
      () => uploadKey(bad),
    ]) {
      const error = invalidArgumentOf(build);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.reason).toBe('ARTIFACT_KEY_INVALID');
    }
  });

  it('refuses non-string ids at run time', () => {
    expect(() => uploadKey(42 as unknown as string)).toThrow(FledgeError);
  });

  it('round-trips through parseArtifactKey, which refuses traversal in stored URIs', () => {
    const key = modelVersionArtifactKey(modelId, versionId);
    expect(parseArtifactKey(key)).toBe(key);
    for (const bad of [
      '../x',
      'models/../../etc/passwd',
      'models//x',
      '/models/x',
      'models/x/',
      'models/..x',
      'a/./b',
      '',
    ])
      expect(invalidArgumentOf(() => parseArtifactKey(bad)).reason).toBe('ARTIFACT_KEY_INVALID');
  });
});
