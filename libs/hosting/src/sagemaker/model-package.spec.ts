import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

import { describe, expect, it } from '@jest/globals';
import { extract } from 'tar-stream';

import { PACKAGE_MANIFEST_FILE, packageManifest, type PackageManifest } from '@fledge/domain';

import { writeModelPackage } from './model-package.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function pack(onnx: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  const manifest = packageManifest(sha256(onnx), onnx.length);
  // Several chunks, as an artifact store streams them.
  await writeModelPackage(Readable.from([onnx.subarray(0, 1000), onnx.subarray(1000)]), manifest, sink);
  return Buffer.concat(chunks);
}

async function unpack(tgz: Buffer): Promise<{ name: string; mode: number; mtime: number; body: Buffer }[]> {
  const entries: { name: string; mode: number; mtime: number; body: Buffer }[] = [];
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    const parts: Buffer[] = [];
    stream.on('data', (part: Buffer) => parts.push(part));
    stream.on('end', () => {
      entries.push({
        name: header.name,
        mode: header.mode!,
        mtime: header.mtime!.getTime(),
        body: Buffer.concat(parts),
      });
      next();
    });
  });
  await pipeline(Readable.from([tgz]), createGunzip(), reader);
  return entries;
}

describe(writeModelPackage.name, () => {
  const pattern = (length: number, step: number) => Buffer.from(Array.from({ length }, (_, i) => (i * step) % 251));
  const onnx = pattern(70_000, 7919);

  it('writes the manifest and the byte-identical model, as SageMaker extracts them into /opt/ml/model', async () => {
    const entries = await unpack(await pack(onnx));
    expect(entries.map((e) => e.name)).toEqual([PACKAGE_MANIFEST_FILE, 'model.onnx']);
    expect(JSON.parse(entries[0].body.toString())).toEqual({
      format: 'fledge-model-package/1',
      model: 'model.onnx',
      sha256: sha256(onnx),
      sizeBytes: onnx.length,
    });
    expect(sha256(entries[1].body)).toBe(sha256(onnx));
    expect(entries.every((e) => e.mode === 0o644 && e.mtime === 0)).toBe(true);
  });

  it('is deterministic: the same model always packs to the same digest', async () => {
    const [a, b] = [await pack(onnx), await pack(onnx)];
    expect(sha256(a)).toBe(sha256(b));
    expect(sha256(await pack(pattern(70_000, 7907)))).not.toBe(sha256(a));
  });

  it('fails (and writes no complete package) when the model stream fails, e.g. its digest check', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('INTEGRITY: sha256 mismatch'));
      },
    });
    const manifest: PackageManifest = {
      format: 'fledge-model-package/1',
      model: 'model.onnx',
      sha256: 'x',
      sizeBytes: 10,
    };
    const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    await expect(writeModelPackage(failing, manifest, sink)).rejects.toThrow('INTEGRITY');
  });
});
