import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serverTestEnv, startTestApi, uniqueName, type TestApi } from '@fledge/testing';
import { getModel } from '@fledge/trainer';

import {
  createModel,
  errorCode,
  expectData,
  REGISTER_MODEL_VERSION,
  sha256,
  upload,
} from '../support/registry-client.js';

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
    expectData(await createModel(api, api.keys.scientist, name));
    const up = await upload(api, api.keys.scientist, 'model', digits);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ status: 'COMPLETE', sha256: sha256(digits), sizeBytes: digits.byteLength });

    const registered = expectData(
      await api.graphql<{ registerModelVersion: any }>(
        REGISTER_MODEL_VERSION,
        { input: { model: name, uploadId: up.id, metadata: { epochs: 5, lr: 0.01 } } },
        api.keys.scientist,
      ),
    ).registerModelVersion;
    expect(registered).toMatchObject({
      version: 1,
      sha256: sha256(digits),
      sizeBytes: digits.byteLength,
      status: 'REGISTERED',
    });
    expect(registered.signature.inputs).toEqual([{ name: 'pixels', datatype: 'FP32', shape: [-1, 784] }]);
    expect(registered.signature.outputs.map((o: any) => o.name)).toContain('probabilities');

    const key = registered.artifactUri.replace(`s3://${api.env.FLEDGE_S3_BUCKET}/`, '');
    const object = await s3.send(new GetObjectCommand({ Bucket: api.env.FLEDGE_S3_BUCKET, Key: key }));
    expect(sha256(await object.Body!.transformToByteArray())).toBe(sha256(digits));

    const shown = expectData(
      await api.graphql<{ model: any }>(
        `query($name: String!) { model(name: $name) { name latestVersion { version metadata createdBy } versions(first: 5) { totalCount } } }`,
        { name },
        api.keys.viewer,
      ),
    ).model;
    expect(shown).toMatchObject({
      name,
      latestVersion: { version: 1, metadata: { epochs: 5, lr: 0.01 }, createdBy: api.keyNames.scientist },
      versions: { totalCount: 1 },
    });
  });

  it('gives 20 concurrent registrations of one model the versions 1..20, no gap, no duplicate', async () => {
    const name = uniqueName('concurrent');
    expectData(await createModel(api, api.keys.scientist, name));
    const uploads = await Promise.all(
      Array.from({ length: 20 }, () => upload(api, api.keys.scientist, 'model', digits)),
    );
    const results = await Promise.all(
      uploads.map((u) =>
        api.graphql<{ registerModelVersion: { version: number } }>(
          REGISTER_MODEL_VERSION,
          { input: { model: name, uploadId: u.id } },
          api.keys.scientist,
        ),
      ),
    );
    const versions = results.map((r) => expectData(r).registerModelVersion.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('refuses a corrupt or non-ONNX file with ORT reason, leaving no version row and no stored bytes', async () => {
    const name = uniqueName('corrupt');
    expectData(await createModel(api, api.keys.scientist, name));
    // The last one is a ModelProto without a graph: ORT's message names its C++ source file and function.
    const noGraph = Uint8Array.from([8, 11, 18, 3, 1, 2, 3]);
    for (const bytes of [
      digits.subarray(0, digits.byteLength >> 1),
      new TextEncoder().encode('not an onnx model'),
      noGraph,
    ]) {
      const up = await upload(api, api.keys.scientist, 'model', bytes);
      expect(up.status).toBe(200);
      const result = await api.graphql(
        REGISTER_MODEL_VERSION,
        { input: { model: name, uploadId: up.id } },
        api.keys.scientist,
      );
      expect(errorCode(result)).toBe('INVALID_ARGUMENT');
      // Refused while decoding its protobuf, before onnxruntime is asked, or by onnxruntime itself.
      expect(result.errors![0].message).toMatch(
        /the file is not an ONNX model|onnxruntime cannot use this file: .*(Protobuf parsing failed|failed)/i,
      );
      expect(result.errors![0].extensions!.reason).toBe('ONNX_UNREADABLE');
      expect(result.errors![0].message).not.toMatch(/onnxruntime_src|\.cc:\d+|onnxruntime::|\/tmp\//);
      expect((await storedKeys()).some((k) => k.includes(up.id))).toBe(false);
    }
    const versions = expectData(
      await api.graphql<{ model: any }>(`query($n: String!) { model(name: $n) { versions { totalCount } } }`, {
        n: name,
      }),
    ).model.versions.totalCount;
    expect(versions).toBe(0);
  });

  it('refuses an over-size upload with PAYLOAD_TOO_LARGE and stores nothing', async () => {
    const before = await storedKeys();
    const big = new Uint8Array(MAX_UPLOAD + 1);
    const up = await upload(api, api.keys.scientist, 'model', big);
    expect(up.status).toBe(413);
    expect(up.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await storedKeys()).toEqual(before);
  });

  it('refuses an over-deep query before resolving anything', async () => {
    const deep = `{ models { edges { node { latestVersion { model { latestVersion { model { latestVersion { model { latestVersion { model { latestVersion { model { name } } } } } } } } } } } } } }`;
    const result = await api.graphql(deep, {}, api.keys.viewer);
    expect(errorCode(result)).toBe('INVALID_ARGUMENT');
    expect(result.errors![0].message).toMatch(/query depth \d+ exceeds the maximum of 12/);
  });

  it('refuses a dataset whose row lacks the declared label column, naming the row, and stores nothing', async () => {
    const name = uniqueName('ds');
    expectData(
      await api.graphql(
        'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }',
        { i: { name } },
        api.keys.scientist,
      ),
    );
    const rows = ['{"pixels":[0,1],"label":1}', '{"pixels":[1,0],"label":0}', '{"pixels":[1,1]}'].join('\n');
    const up = await upload(api, api.keys.scientist, 'dataset', new TextEncoder().encode(rows));
    const result = await api.graphql(
      `mutation($i: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $i) { version rowCount } }`,
      { i: { dataset: name, uploadId: up.id, format: 'JSONL', featureColumns: ['pixels'], labelColumn: 'label' } },
      api.keys.scientist,
    );
    expect(errorCode(result)).toBe('INVALID_ARGUMENT');
    expect(result.errors![0].message).toMatch(/row 3/);
    expect(result.errors![0].message).toMatch(/label/);
    expect((await storedKeys()).some((k) => k.includes(up.id))).toBe(false);
  });

  it('registers a valid dataset version, counting rows and labels', async () => {
    const name = uniqueName('ds');
    expectData(
      await api.graphql(
        'mutation($i: CreateDatasetInput!) { createDataset(input: $i) { id } }',
        { i: { name } },
        api.keys.scientist,
      ),
    );
    const rows = Array.from({ length: 50 }, (_, i) => JSON.stringify({ pixels: [i, i + 1], label: i % 3 })).join('\n');
    const up = await upload(api, api.keys.scientist, 'dataset', new TextEncoder().encode(rows));
    const registered = expectData(
      await api.graphql<{ registerDatasetVersion: any }>(
        `mutation($i: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $i) { version rowCount labels compression } }`,
        { i: { dataset: name, uploadId: up.id, format: 'JSONL', featureColumns: ['pixels'], labelColumn: 'label' } },
        api.keys.scientist,
      ),
    ).registerDatasetVersion;
    expect(registered).toEqual({ version: 1, rowCount: 50, labels: ['0', '1', '2'], compression: 'NONE' });
  });
});
