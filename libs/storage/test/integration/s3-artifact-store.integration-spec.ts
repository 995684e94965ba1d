import { createServer, type AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Secret } from '@fledge/config';

import {
  createArtifactStore,
  createS3Client,
  datasetVersionArtifactKey,
  modelVersionArtifactKey,
  S3ArtifactStore,
  type S3ArtifactStoreConfig,
  uploadKey,
} from '../../src/index.js';
import {
  expectFledgeError,
  failingBody,
  MIB,
  randomBody,
  sha256Of,
  sha256OfStream,
} from '../artifact-store.fixture.js';
import { stackS3 } from '../stack-env.js';

const id = () => randomUUID();

describe(`${S3ArtifactStore.name} against the stack's S3-compatible server`, () => {
  const s3 = stackS3();
  const config: S3ArtifactStoreConfig = {
    kind: 's3',
    bucket: `fledge-test-${randomUUID().slice(0, 8)}`,
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: new Secret(s3.secretAccessKey) },
    partSizeBytes: 5 * MIB,
  };
  let client: S3Client;
  let sut: S3ArtifactStore;
  let scratch: string;

  const objectKeys = async () =>
    ((await client.send(new ListObjectsV2Command({ Bucket: config.bucket }))).Contents ?? []).map((o) => o.Key);
  const pendingUploads = async () =>
    (await client.send(new ListMultipartUploadsCommand({ Bucket: config.bucket }))).Uploads ?? [];

  beforeAll(async () => {
    client = createS3Client(config);
    sut = createArtifactStore(config, { s3Client: client }) as S3ArtifactStore;
    await sut.ensureReady();
    await sut.ensureReady();
    scratch = await mkdtemp(path.join(tmpdir(), 'fledge-s3-'));
  });

  afterAll(async () => {
    for (const key of await objectKeys())
      await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: key }));
    await client.send(new DeleteBucketCommand({ Bucket: config.bucket }));
    client.destroy();
    await rm(scratch, { recursive: true, force: true });
  });

  it('round-trips a 50 MB file through a multipart upload, sha256 verified on read', async () => {
    const key = modelVersionArtifactKey(id(), id());
    const { body, sha256 } = randomBody(50 * MIB);

    const put = await sut.put(key, body, { contentType: 'application/octet-stream', expectedSha256: sha256 });

    expect(put).toEqual({ uri: `s3://${config.bucket}/${key}`, sha256, sizeBytes: 50 * MIB });
    const head = await sut.head(put.uri);
    expect(head).toMatchObject({ sizeBytes: 50 * MIB, contentType: 'application/octet-stream' });
    // A multipart object's ETag is `<md5 of part md5s>-<part count>`: 50 MiB / 5 MiB = 10 parts.
    expect(head.etag).toMatch(/-10"?$/);
    expect(await sha256OfStream(await sut.get(put.uri, { sha256 }))).toEqual({ sha256, sizeBytes: 50 * MIB });

    const dest = path.join(scratch, 'round-trip', 'model.onnx');
    expect(await sut.downloadToFile(put.uri, { sha256 }, dest)).toEqual({ sizeBytes: 50 * MIB });
    expect(sha256Of(await readFile(dest))).toBe(sha256);
  });

  it('stores a small body with a single PUT and reads it back', async () => {
    const bytes = Buffer.from('label,text\n1,hello\n');
    const put = await sut.put(datasetVersionArtifactKey(id(), id()), bytes, { contentType: 'text/csv' });
    expect(put.sha256).toBe(sha256Of(bytes));
    expect(await sut.getBuffer(put.uri, { sha256: put.sha256 })).toEqual(bytes);
    expect(await sut.exists(put.uri)).toBe(true);
    await sut.delete(put.uri);
    await sut.delete(put.uri);
    expect(await sut.exists(put.uri)).toBe(false);
    await expectFledgeError(sut.head(put.uri), 'NOT_FOUND', 'ARTIFACT_NOT_FOUND');
    await expectFledgeError(sut.get(put.uri, { sha256: put.sha256 }), 'NOT_FOUND', 'ARTIFACT_NOT_FOUND');
  });

  it('detects an object overwritten behind its back, on every kind of read', async () => {
    const key = modelVersionArtifactKey(id(), id());
    const { body, sha256 } = randomBody(6 * MIB);
    const put = await sut.put(key, body);
    const { body: other } = randomBody(6 * MIB, 2); // same size, other bytes
    await client.send(
      new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: Buffer.concat(await other.toArray()) }),
    );

    await expectFledgeError(sut.getBuffer(put.uri, { sha256 }), 'INTEGRITY', 'ARTIFACT_CORRUPT');
    const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    await expectFledgeError(pipeline(await sut.get(put.uri, { sha256 }), sink), 'INTEGRITY', 'ARTIFACT_CORRUPT');
    const dest = path.join(scratch, 'tampered', 'model.onnx');
    await expectFledgeError(sut.downloadToFile(put.uri, { sha256 }, dest), 'INTEGRITY');
    expect(await readdir(path.dirname(dest))).toEqual([]);
  });

  it('refuses a body over maxBytes mid-multipart and leaves no object and no pending upload', async () => {
    const key = uploadKey(id());
    const { body } = randomBody(16 * MIB);
    await expectFledgeError(sut.put(key, body, { maxBytes: 11 * MIB }), 'PAYLOAD_TOO_LARGE', 'ARTIFACT_TOO_LARGE');
    expect(await sut.exists(sut.uriOf(key))).toBe(false);
    expect(await objectKeys()).not.toContain(key);
    expect((await pendingUploads()).map((upload) => upload.Key)).not.toContain(key);
  });

  it('refuses a body whose sha256 differs from the expected one, small or multipart, storing nothing', async () => {
    for (const size of [MIB, 12 * MIB]) {
      const key = uploadKey(id());
      const { body } = randomBody(size);
      await expectFledgeError(
        sut.put(key, body, { expectedSha256: 'b'.repeat(64) }),
        'INTEGRITY',
        'ARTIFACT_SHA256_MISMATCH',
      );
      expect(await sut.exists(sut.uriOf(key))).toBe(false);
      expect((await pendingUploads()).map((upload) => upload.Key)).not.toContain(key);
    }
  });

  it('stores nothing when the client stream breaks mid-upload', async () => {
    const key = uploadKey(id());
    await expect(sut.put(key, failingBody(7 * MIB))).rejects.toThrow('client went away');
    expect(await sut.exists(sut.uriOf(key))).toBe(false);
    expect((await pendingUploads()).map((upload) => upload.Key)).not.toContain(key);
  });

  it('refuses URIs of another bucket or with traversal', async () => {
    const sha256 = 'c'.repeat(64);
    for (const uri of [
      `s3://other-bucket/uploads/${id()}`,
      `s3://${config.bucket}/../x`,
      `s3://${config.bucket}/uploads/../../x`,
      `local://uploads/${id()}`,
    ])
      await expectFledgeError(sut.get(uri, { sha256 }), 'INVALID_ARGUMENT');
  });
});

describe(`${S3ArtifactStore.name} when the S3 server cannot be reached`, () => {
  it('fails reads and writes with UNAVAILABLE, not an internal error', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const config: S3ArtifactStoreConfig = {
      kind: 's3',
      bucket: 'fledge-unreachable',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: new Secret('test') },
      partSizeBytes: 5 * MIB,
    };
    const client = createS3Client(config);
    const sut = createArtifactStore(config, { s3Client: client });
    try {
      await expect(sut.put(uploadKey('u1'), Buffer.from('x'))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      await expect(sut.get(sut.uriOf(uploadKey('u1')), { sha256: '0'.repeat(64) })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
      });
    } finally {
      client.destroy();
    }
  });
});
