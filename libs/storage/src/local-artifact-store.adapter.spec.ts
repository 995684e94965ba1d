import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { loadWorkerConfig } from '@fledge/config';

import {
  expectFledgeError,
  failingBody,
  MIB,
  randomBody,
  sha256Of,
  sha256OfStream,
} from '../test/artifact-store.fixture.js';
import { modelVersionArtifactKey, uploadKey } from './artifact-key.js';
import { createArtifactStore } from './artifact-store.factory.js';
import { LocalArtifactStore } from './local-artifact-store.adapter.js';

const modelId = '0193a5b2-7c1d-7e2f-8a3b-4c5d6e7f8091';
const versionId = '0193a5b2-7c1d-7e2f-8a3b-4c5d6e7f8092';
const key = modelVersionArtifactKey(modelId, versionId);

describe(LocalArtifactStore.name, () => {
  let root: string;
  let sut: LocalArtifactStore;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'fledge-artifacts-'));
    sut = new LocalArtifactStore(path.join(root, 'store'));
    await sut.ensureReady();
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  const filesUnder = async (dir: string) =>
    (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);

  it('round-trips 50 MB with the sha256 computed while streaming', async () => {
    const { body, sha256 } = randomBody(50 * MIB);
    const put = await sut.put(key, body);
    expect(put).toEqual({ uri: `local://${key}`, sha256, sizeBytes: 50 * MIB });
    expect(await sha256OfStream(await sut.get(put.uri, { sha256 }))).toEqual({ sha256, sizeBytes: 50 * MIB });
    expect(await sut.head(put.uri)).toMatchObject({ uri: put.uri, sizeBytes: 50 * MIB });

    const dest = path.join(root, 'downloads', 'model.onnx');
    expect(await sut.downloadToFile(put.uri, { sha256 }, dest)).toEqual({ sizeBytes: 50 * MIB });
    expect(sha256Of(await readFile(dest))).toBe(sha256);
    // 50 MB written, hashed, read back and hashed twice: seconds of IO and hashing on a busy machine.
  }, 60_000);

  it('stores buffers and reads them back verified', async () => {
    const bytes = Buffer.from('hello artifact');
    const put = await sut.put(uploadKey('u-1'), bytes, { expectedSha256: sha256Of(bytes) });
    expect(await sut.getBuffer(put.uri, { sha256: put.sha256 })).toEqual(bytes);
    expect(await sut.exists(put.uri)).toBe(true);
    await sut.delete(put.uri);
    await sut.delete(put.uri);
    expect(await sut.exists(put.uri)).toBe(false);
    await expectFledgeError(sut.head(put.uri), 'NOT_FOUND', 'ARTIFACT_NOT_FOUND');
    await expectFledgeError(sut.get(put.uri, { sha256: put.sha256 }), 'NOT_FOUND', 'ARTIFACT_NOT_FOUND');
  });

  it('detects a tampered file on every kind of read, and never writes the download', async () => {
    const bytes = Buffer.from('{"weights":[1,2,3]}');
    const put = await sut.put(key, bytes);
    await writeFile(path.join(sut.root, key), '{"weights":[1,2,4]}');

    await expectFledgeError(sut.getBuffer(put.uri, { sha256: put.sha256 }), 'INTEGRITY', 'ARTIFACT_CORRUPT');
    const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    await expectFledgeError(pipeline(await sut.get(put.uri, { sha256: put.sha256 }), sink), 'INTEGRITY');
    const dest = path.join(root, 'downloads', 'model.onnx');
    await expectFledgeError(sut.downloadToFile(put.uri, { sha256: put.sha256 }, dest), 'INTEGRITY');
    expect(await filesUnder(path.dirname(dest))).toEqual([]);
  });

  it('refuses a body over maxBytes and leaves nothing behind', async () => {
    const { body } = randomBody(3 * MIB);
    await expectFledgeError(sut.put(key, body, { maxBytes: 2 * MIB }), 'PAYLOAD_TOO_LARGE', 'ARTIFACT_TOO_LARGE');
    expect(await sut.exists(sut.uriOf(key))).toBe(false);
    expect(await filesUnder(sut.root)).toEqual([]);
  });

  it('refuses a body whose digest differs from the expected one and leaves nothing behind', async () => {
    const { body } = randomBody(MIB);
    await expectFledgeError(
      sut.put(key, body, { expectedSha256: 'a'.repeat(64) }),
      'INTEGRITY',
      'ARTIFACT_SHA256_MISMATCH',
    );
    expect(await filesUnder(sut.root)).toEqual([]);
  });

  it('writes atomically: an aborted stream leaves neither a partial file nor a temp file, and keeps the old one', async () => {
    const old = await sut.put(key, Buffer.from('previous version'));
    await expect(sut.put(key, failingBody(256 * 1024))).rejects.toThrow('client went away');
    expect(await filesUnder(sut.root)).toEqual(['model.onnx']);
    expect((await sut.getBuffer(old.uri, { sha256: old.sha256 })).toString()).toBe('previous version');
  });

  it('refuses URIs outside its root or of another scheme', async () => {
    for (const uri of [
      'local://../outside',
      'local:///etc/passwd',
      'local://models/../../x',
      'file:///etc/passwd',
      's3://b/k',
    ])
      await expectFledgeError(sut.get(uri, { sha256: 'a'.repeat(64) }), 'INVALID_ARGUMENT');
    await expectFledgeError(sut.get(sut.uriOf(key), { sha256: 'not-a-digest' }), 'INVALID_ARGUMENT', 'SHA256_INVALID');
  });

  it('is what the factory builds from a loaded process config', () => {
    const store = createArtifactStore(loadWorkerConfig({ FLEDGE_ARTIFACT_DIR: root }).artifacts);
    expect(store).toBeInstanceOf(LocalArtifactStore);
    expect((store as LocalArtifactStore).root).toBe(root);
  });
});
