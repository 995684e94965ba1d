import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { pack } from 'tar-stream';

import { PACKAGE_MANIFEST_FILE, PACKAGE_MODEL_FILE, packageManifest, type PackageManifest } from '@fledge/domain';

import { aws, awsErrorName, fromAwsError } from './aws-errors.js';

/** Where a model version's ONNX file is read from (Fledge's artifact store), verified against its sha256. */
export interface ArtifactReader {
  get(uri: string, options: { sha256: string }): Promise<Readable>;
  head(uri: string): Promise<{ sizeBytes: number }>;
}

export interface ModelPackage {
  /** `s3://bucket/key` of the `model.tar.gz` (SageMaker's `ModelDataUrl`). */
  uri: string;
  /** sha256 of the `model.tar.gz` bytes (also the object's `sha256` metadata). */
  sha256: string;
}

const ENTRY_DEFAULTS = { mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' } as const;

/**
 * Writes the `model.tar.gz` SageMaker extracts into `/opt/ml/model`: `fledge-model.json` (the
 * domain's PackageManifest) then `model.onnx`. Byte-for-byte deterministic (fixed entry order, mode, owner and mtime; gzip has no
 * name or time), so the same ONNX file always packs to the same digest.
 */
export async function writeModelPackage(onnx: Readable, manifest: PackageManifest, out: NodeJS.WritableStream) {
  const tar = pack();
  const done = pipeline(tar, createGzip({ level: 9 }), out);
  try {
    const json = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    tar.entry({ ...ENTRY_DEFAULTS, name: PACKAGE_MANIFEST_FILE, size: json.length }, json);
    const entry = tar.entry({ ...ENTRY_DEFAULTS, name: PACKAGE_MODEL_FILE, size: manifest.sizeBytes });
    await pipeline(onnx, entry);
    tar.finalize();
  } catch (error) {
    // An artifact that fails its digest check (or a read error) must not leave a package behind.
    tar.destroy(error as Error);
    await done.catch(() => undefined);
    throw error;
  }
  await done;
}

export interface ModelPackagerOptions {
  s3: S3Client;
  bucket: string;
  /** Key prefix; a package lives at `<prefix>/<onnx sha256>/model.tar.gz`. */
  prefix: string;
  artifacts: ArtifactReader;
  /** Scratch space for packages being built. */
  workDir: string;
}

/**
 * Packages model versions for SageMaker and uploads them once: packages are addressed by the ONNX
 * file's sha256, so a version deployed twice (or on two endpoints) is uploaded once, and a retried
 * step finds the package already there.
 */
export class ModelPackager {
  constructor(private readonly options: ModelPackagerOptions) {}

  keyOf(onnxSha256: string): string {
    return `${this.options.prefix}/${onnxSha256}/model.tar.gz`;
  }

  async ensure(artifactUri: string, onnxSha256: string): Promise<ModelPackage> {
    const { s3, bucket } = this.options;
    const key = this.keyOf(onnxSha256);
    const uri = `s3://${bucket}/${key}`;
    const existing = await this.recordedDigest(key);
    if (existing) return { uri, sha256: existing };

    const { sizeBytes } = await this.options.artifacts.head(artifactUri);
    await mkdir(this.options.workDir, { recursive: true });
    const file = path.join(
      this.options.workDir,
      `package-${onnxSha256.slice(0, 16)}-${randomBytes(4).toString('hex')}.tar.gz`,
    );
    try {
      const hash = createHash('sha256');
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          callback(null, chunk);
        },
      });
      const written = pipeline(hashing, createWriteStream(file));
      await writeModelPackage(
        await this.options.artifacts.get(artifactUri, { sha256: onnxSha256 }),
        packageManifest(onnxSha256, sizeBytes),
        hashing,
      );
      await written;
      const sha256 = hash.digest('hex');
      const { size } = await stat(file);
      await aws(`S3 PutObject s3://${bucket}/${key}`, () =>
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: createReadStream(file),
            ContentLength: size,
            ContentType: 'application/gzip',
            Metadata: { sha256, 'model-sha256': onnxSha256 },
          }),
        ),
      );
      return { uri, sha256 };
    } finally {
      await rm(file, { force: true });
    }
  }

  /** The package's recorded digest when it was uploaded already. */
  private async recordedDigest(key: string): Promise<string | null> {
    try {
      const head = await this.options.s3.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return head.Metadata?.sha256 ?? null;
    } catch (error) {
      const name = awsErrorName(error);
      if (name === 'NotFound' || name === 'NoSuchKey') return null;
      throw fromAwsError(error, `S3 HeadObject s3://${this.options.bucket}/${key}`);
    }
  }
}
