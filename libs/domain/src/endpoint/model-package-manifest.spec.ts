import { describe, expect, it } from '@jest/globals';

import { packageManifest, parsePackageManifest } from './model-package-manifest.js';

describe(parsePackageManifest.name, () => {
  const sha = 'a'.repeat(64);

  it('reads back what packageManifest writes', () => {
    expect(parsePackageManifest(JSON.parse(JSON.stringify(packageManifest(sha, 10))))).toEqual(
      packageManifest(sha, 10),
    );
  });

  it.each([
    [null, 'is not a JSON object'],
    [{ ...packageManifest(sha, 1), format: 'other/1' }, 'has format "other/1"'],
    [{ ...packageManifest(sha, 1), model: '../x.onnx' }, 'names model "../x.onnx"'],
    [{ ...packageManifest('abc', 1) }, 'has no sha256 of 64 hex digits'],
    [{ ...packageManifest(sha, -1) }, 'has no sizeBytes'],
  ])('refuses %j', (value, message) => {
    expect(() => parsePackageManifest(value)).toThrow(message);
  });
});
