import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateDatasetDocument,
  ModelVersionDocument,
  ModelWithVersionsDocument,
  RegisterDatasetVersionDocument,
  RegisterModelVersionDocument,
} from '@fledge/client';
import { serverTestEnv, startTestApi, uniqueName, type TestApi } from '@fledge/testing';
import { getModel } from '@fledge/trainer';

import { createModel, errorCode, refusal, sha256, upload } from '../support/registry-client.js';

const MAX_UPLOAD = 4 * 1024 * 1024;

describe('registry over GraphQL (real Postgres, S3-compatible server, onnxruntime)', () => {
  let api: TestApi;
  let s3: S3Client;
  let digits: Uint8Array;

  beforeAll(async () => {
    api = await startTestApi(serverTestEnv({ FLEDGE_MAX_UPLOAD_BYTES: String(MAX_UPLOAD) }));
    s3 = new S3Client({
      endpoint: api.env.FLEDGE_S3_ENDPOINT,
      region: api.env.AWS_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: api.env.AWS_ACCESS_KEY_ID, secretAccessKey: api.env.AWS_SECRET_ACCESS_KEY },
    });
    digits = (await getModel('digits-mlp')).onnx;
  });

  afterAll(async () => {
    await api?.close();
    s3?.destroy();
  });

  const storedKeys = async () => {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: api.env.FLEDGE_S3_BUCKET }));
    return (listed.Contents ?? []).map((o) => o.Key!);
  };

  it('registers a real digits model: signature read from the file, sha256 matching the stored object', async () => {
    const name = uniqueName('digits');
    await createModel(api, api.keys.scientist, name);
    const up = await upload(api, api.keys.scientist, 'model', digits);
    expect(up).toMatchObject({ status: 'COMPLETE', sha256: sha256(digits), sizeBytes: digits.byteLength });

    const { registerModelVersion: registered } = await api.client('scientist').request(RegisterModelVersionDocument, {
      input: { model: name, uploadId: up.id, metadata: { epochs: 5, lr: 0.01 } },
    });
    expect(registered).toMatchObject({
      version: 1,
      sha256: sha256(digits),
      sizeBytes: digits.byteLength,
      status: 'REGISTERED',
    });
    expect(registered.signature.inputs).toEqual([{ name: 'pixels', datatype: 'FP32', shape: [-1, 784] }]);
    expect(registered.signature.outputs.map((o) => o.name)).toContain('probabilities');

    const key = registered.artifactUri.replace(`s3://${api.env.FLEDGE_S3_BUCKET}/`, '');
    const object = await s3.send(new GetObjectCommand({ Bucket: api.env.FLEDGE_S3_BUCKET, Key: key }));
    expect(sha256(await object.Body!.transformToByteArray())).toBe(sha256(digits));

    const viewer = api.client('viewer');
    const { model: shown } = await viewer.request(ModelWithVersionsDocument, { name, first: 5 });
    expect(shown).toMatchObject({
      name,
      latestVersion: { version: 1, createdBy: api.keyNames.scientist },
      versions: { totalCount: 1 },
    });
    const { modelVersion } = await viewer.request(ModelVersionDocument, { model: name, version: 1 });
    expect(modelVersion?.metadata).toEqual({ epochs: 5, lr: 0.01 });
  });

  it('gives 20 concurrent registrations of one model the versions 1..20, no gap, no duplicate', async () => {
    const name = uniqueName('concurrent');
    await createModel(api, api.keys.scientist, name);
    const uploads = await Promise.all(
      Array.from({ length: 20 }, () => upload(api, api.keys.scientist, 'model', digits)),
    );
    const scientist = api.client('scientist');
    const results = await Promise.all(
      uploads.map((u) => scientist.request(RegisterModelVersionDocument, { input: { model: name, uploadId: u.id } })),
    );
    const versions = results.map((r) => r.registerModelVersion.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('refuses a corrupt or non-ONNX file with ORT reason, leaving no version row and no stored bytes', async () => {
    const name = uniqueName('corrupt');
    await createModel(api, api.keys.scientist, name);
    // The last one is a ModelProto without a graph: ORT's message names its C++ source file and function.
    const noGraph = Uint8Array.from([8, 11, 18, 3, 1, 2, 3]);
    for (const bytes of [
      digits.subarray(0, digits.byteLength >> 1),
      new TextEncoder().encode('not an onnx model'),
      noGraph,
    ]) {
      const up = await upload(api, api.keys.scientist, 'model', bytes);
      expect(up.status).toBe('COMPLETE');
      const refused = await refusal(
        api.client('scientist').request(RegisterModelVersionDocument, { input: { model: name, uploadId: up.id } }),
      );
      expect(refused).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'ONNX_UNREADABLE' });
      // Refused while decoding its protobuf, before onnxruntime is asked, or by onnxruntime itself.
      expect(refused.message).toMatch(
        /the file is not an ONNX model|onnxruntime cannot use this file: .*(Protobuf parsing failed|failed)/i,
      );
      expect(refused.message).not.toMatch(/onnxruntime_src|\.cc:\d+|onnxruntime::|\/tmp\//);
      expect((await storedKeys()).some((k) => k.includes(up.id))).toBe(false);
    }
    const { model } = await api.client().request(ModelWithVersionsDocument, { name, first: 1 });
    expect(model?.versions.totalCount).toBe(0);
  });

  it('refuses an over-size upload with PAYLOAD_TOO_LARGE and stores nothing', async () => {
    const before = await storedKeys();
    const big = new Uint8Array(MAX_UPLOAD + 1);
    const refused = await refusal(upload(api, api.keys.scientist, 'model', big));
    expect(refused).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
    expect(await storedKeys()).toEqual(before);
  });

  it('refuses an over-deep query before resolving anything', async () => {
    const deep = `{ models { edges { node { latestVersion { model { latestVersion { model { latestVersion { model { latestVersion { model { latestVersion { model { name } } } } } } } } } } } } } }`;
    const result = await api.rawGraphql(deep, {}, api.keys.viewer);
    expect(errorCode(result)).toBe('INVALID_ARGUMENT');
    expect(result.errors![0].message).toMatch(/query depth \d+ exceeds the maximum of 12/);
  });

  it('refuses a dataset whose row lacks the declared label column, naming the row, and stores nothing', async () => {
    const name = uniqueName('ds');
    await api.client('scientist').request(CreateDatasetDocument, { input: { name } });
    const rows = ['{"pixels":[0,1],"label":1}', '{"pixels":[1,0],"label":0}', '{"pixels":[1,1]}'].join('\n');
    const up = await upload(api, api.keys.scientist, 'dataset', new TextEncoder().encode(rows));
    const refused = await refusal(
      api.client('scientist').request(RegisterDatasetVersionDocument, {
        input: { dataset: name, uploadId: up.id, format: 'JSONL', featureColumns: ['pixels'], labelColumn: 'label' },
      }),
    );
    expect(refused.code).toBe('INVALID_ARGUMENT');
    expect(refused.message).toMatch(/row 3/);
    expect(refused.message).toMatch(/label/);
    expect((await storedKeys()).some((k) => k.includes(up.id))).toBe(false);
  });

  it('registers a valid dataset version, counting rows and labels', async () => {
    const name = uniqueName('ds');
    await api.client('scientist').request(CreateDatasetDocument, { input: { name } });
    const rows = Array.from({ length: 50 }, (_, i) => JSON.stringify({ pixels: [i, i + 1], label: i % 3 })).join('\n');
    const up = await upload(api, api.keys.scientist, 'dataset', new TextEncoder().encode(rows));
    const { registerDatasetVersion: registered } = await api
      .client('scientist')
      .request(RegisterDatasetVersionDocument, {
        input: { dataset: name, uploadId: up.id, format: 'JSONL', featureColumns: ['pixels'], labelColumn: 'label' },
      });
    expect(registered).toMatchObject({ version: 1, rowCount: 50, labels: ['0', '1', '2'], compression: 'NONE' });
  });
});
