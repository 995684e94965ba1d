import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { type SageMakerContainerConfig } from '@fledge/config';
import { PACKAGE_MANIFEST_FILE, PACKAGE_MODEL_FILE, parsePackageManifest } from '@fledge/domain';
import { FledgeError } from '@fledge/errors';
import { LocalArtifactStore, parseArtifactKey } from '@fledge/storage';

import { DesiredStateStore } from './registry/desired-state.store.js';
import { parseEndpointSpec } from './registry/endpoint-spec.js';
import { type Logger } from './registry/endpoint-registry.js';
import { startServingRuntime, type ServingRuntime } from './serving-runtime.js';

/**
 * Fledge's serving runtime as a SageMaker inference container (`docker run <image> serve`): the
 * package SageMaker extracted into the model directory (`fledge-model.json` + `model.onnx`) becomes
 * the runtime's one endpoint, restored at start like any persisted state, so `/ping` answers 200 once
 * the model is loaded (its sha256 checked) and `/invocations` serves it (Open Inference Protocol JSON
 * or binary bodies). A model that cannot be loaded stops the container, so SageMaker's health check
 * fails and the endpoint ends Failed. The admin API gets a random token nobody holds (SageMaker
 * routes only the serving port to the container).
 */
export async function startSageMakerContainer(
  config: SageMakerContainerConfig,
  logger?: Logger,
): Promise<ServingRuntime> {
  const manifestPath = join(config.modelDir, PACKAGE_MANIFEST_FILE);
  const text = await readFile(manifestPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new FledgeError(
      'INVALID_ARGUMENT',
      `${manifestPath} ${error.code === 'ENOENT' ? 'does not exist' : `cannot be read (${error.code})`}: ` +
        'SM_MODEL_DIR must hold a model package Fledge built (fledge-model.json and model.onnx)',
      { reason: 'PACKAGE_MANIFEST_MISSING' },
    );
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const manifest = parsePackageManifest(json);
  const artifacts = new LocalArtifactStore(config.modelDir);
  const spec = parseEndpointSpec({
    variants: [
      {
        ...config.variant,
        artifactUri: artifacts.uriOf(parseArtifactKey(PACKAGE_MODEL_FILE)),
        sha256: manifest.sha256,
        role: 'primary',
        weight: 100,
        shadowSampleRate: 0,
      },
    ],
  });
  await new DesiredStateStore(join(config.dataDir, 'serving', 'desired-state.json')).save({
    version: 1,
    endpoints: { [config.endpoint]: { spec, appliedAt: new Date().toISOString() } },
  });
  const runtime = await startServingRuntime({
    host: '0.0.0.0',
    port: config.port,
    adminPort: 0,
    adminToken: randomBytes(32).toString('base64url'),
    dataDir: config.dataDir,
    artifactSource: artifacts,
    logger,
  });
  await runtime.ready;
  if (!runtime.registry.list().some((e) => e.name === config.endpoint)) {
    await runtime.close();
    throw new FledgeError(
      'FAILED_PRECONDITION',
      `the model in ${config.modelDir} could not be loaded (see the log above)`,
      {
        reason: 'PACKAGE_UNLOADABLE',
      },
    );
  }
  return runtime;
}
