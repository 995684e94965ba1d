import { FledgeError } from '@fledge/errors';

/**
 * The manifest at the root of every SageMaker model package (`model.tar.gz`) Fledge builds, next to
 * `model.onnx`: what the serving container checks before it loads the model.
 */
export interface PackageManifest {
  format: 'fledge-model-package/1';
  model: 'model.onnx';
  /** sha256 of model.onnx, hex. */
  sha256: string;
  sizeBytes: number;
}

export const PACKAGE_MANIFEST_FILE = 'fledge-model.json';
export const PACKAGE_MODEL_FILE = 'model.onnx';

export function packageManifest(sha256: string, sizeBytes: number): PackageManifest {
  return { format: 'fledge-model-package/1', model: PACKAGE_MODEL_FILE, sha256, sizeBytes };
}

/** Reads a manifest back; anything else is INVALID_ARGUMENT naming what is wrong. */
export function parsePackageManifest(value: unknown): PackageManifest {
  const m = value as Partial<PackageManifest> | null;
  const problem =
    typeof m !== 'object' || m === null
      ? 'is not a JSON object'
      : m.format !== 'fledge-model-package/1'
        ? `has format ${JSON.stringify(m.format)}, not "fledge-model-package/1"`
        : m.model !== PACKAGE_MODEL_FILE
          ? `names model ${JSON.stringify(m.model)}, not "${PACKAGE_MODEL_FILE}"`
          : typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256)
            ? 'has no sha256 of 64 hex digits'
            : typeof m.sizeBytes !== 'number' || !Number.isSafeInteger(m.sizeBytes) || m.sizeBytes < 0
              ? 'has no sizeBytes'
              : null;
  if (problem) {
    throw new FledgeError('INVALID_ARGUMENT', `${PACKAGE_MANIFEST_FILE} ${problem}`, {
      reason: 'PACKAGE_MANIFEST_INVALID',
    });
  }
  return m as PackageManifest;
}
