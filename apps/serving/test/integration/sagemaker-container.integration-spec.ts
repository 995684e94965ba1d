import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { packageManifest } from '@fledge/domain';
import { writeModelPackage } from '@fledge/hosting/sagemaker';
import { answers, freePort, ServerProcess } from '@fledge/testing';
import { getModel, loadDigits } from '@fledge/trainer';
import { extract } from 'tar-stream';

import { tempDir } from '../serving-harness.js';

/** Builds the package exactly as the SageMaker backend uploads it, then extracts it as SageMaker does. */
async function extractedPackage(onnx: Uint8Array, into: string): Promise<void> {
  const tgz = path.join(into, '..', `${path.basename(into)}.tar.gz`);
  const sha256 = createHash('sha256').update(onnx).digest('hex');
  await writeModelPackage(
    Readable.from([Buffer.from(onnx)]),
    packageManifest(sha256, onnx.length),
    createWriteStream(tgz),
  );
  await mkdir(into, { recursive: true });
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    pipeline(stream, createWriteStream(path.join(into, header.name))).then(() => next(), next);
  });
  await pipeline(Readable.from([await readFile(tgz)]), createGunzip(), reader);
}

// The serving runtime as a SageMaker container (apps/serving/src/sagemaker-main.ts, what the image's
// `serve` runs): SageMaker's environment, the extracted model.tar.gz in the model directory,
// /ping and /invocations on the port SageMaker routes to.
describe('serving runtime as a SageMaker container', () => {
  const work = tempDir('fledge-sm-container-');
  let port: number;
  let server: ServerProcess;

  const containerEnv = (modelDir: string, dataDir: string) => ({
    SM_MODEL_DIR: modelDir,
    SAGEMAKER_BIND_TO_PORT: String(port),
    FLEDGE_DATA_DIR: dataDir,
    FLEDGE_LOG_LEVEL: 'info',
    // What the SageMaker backend's CreateModel puts in the container's environment.
    FLEDGE_ENDPOINT_NAME: 'web',
    FLEDGE_VARIANT_NAME: 'digits-v2',
    FLEDGE_MODEL_NAME: 'digits',
    FLEDGE_MODEL_VERSION: '2',
    FLEDGE_MODEL_VERSION_ID: '00000002-0000-7000-8000-000000000000',
  });

  beforeAll(async () => {
    port = await freePort();
    const modelDir = path.join(work, 'model');
    await extractedPackage((await getModel('digits-mlp')).onnx, modelDir);
    server = await ServerProcess.start({
      name: 'sagemaker-container',
      entry: 'apps/serving/src/sagemaker-main.ts',
      env: containerEnv(modelDir, path.join(work, 'data')),
      ready: () => answers(`http://127.0.0.1:${port}/ping`),
    });
  }, 600_000);

  afterAll(async () => {
    await server?.kill();
  });

  it('answers /ping and serves /invocations with the packaged model', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/ping`)).status).toBe(200);
    const digits = loadDigits().test;
    const res = await fetch(`http://127.0.0.1:${port}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs: [
          { name: 'pixels', datatype: 'FP32', shape: [1, 784], data: Array.from(digits.features.subarray(0, 784)) },
        ],
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('fledge-variant')).toBe('digits-v2');
    const body = (await res.json()) as { model_name: string; outputs: { name: string; shape: number[] }[] };
    expect(body.model_name).toBe('web');
    expect(body.outputs[0].shape[0]).toBe(1);
  });

  it('stops (so SageMaker marks the endpoint Failed) when the model does not match its manifest', async () => {
    const modelDir = path.join(work, 'corrupt');
    await extractedPackage((await getModel('digits-mlp')).onnx, modelDir);
    const onnx = await readFile(path.join(modelDir, 'model.onnx'));
    onnx[onnx.length - 1] ^= 0xff;
    await writeFile(path.join(modelDir, 'model.onnx'), onnx);
    const corrupt = ServerProcess.start({
      name: 'sagemaker-container-corrupt',
      entry: 'apps/serving/src/sagemaker-main.ts',
      env: {
        ...containerEnv(modelDir, path.join(work, 'corrupt-data')),
        SAGEMAKER_BIND_TO_PORT: String(await freePort()),
      },
      ready: async () => false,
    });
    await expect(corrupt).rejects.toThrow(/exited with code 1[\s\S]*could not be loaded/);
  });
});
