import { type Readable } from 'node:stream';
import { pipeline } from 'node:stream';

import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

import { type ArtifactStoreConfig, type DeepReadonly } from '@fledge/config';
import { FledgeError, invalidArgument } from '@fledge/errors';

import { artifactNotFound } from './artifact-errors.util.js';
import { type ArtifactKey, parseArtifactKey } from './artifact-key.js';
import { type ArtifactHead, type PutOptions, type PutResult } from './artifact-store.js';
import { BaseArtifactStore } from './base-artifact-store.js';
import { toReadable } from './digest.util.js';

export type S3ArtifactStoreConfig = DeepReadonly<Extract<ArtifactStoreConfig, { kind: 's3' }>>;

const MIN_PART_SIZE = 5 * 2 ** 20;
const DEFAULT_PART_SIZE = 8 * 2 ** 20;

/**
 * Checksums only when an operation requires them: s3rver stores a streamed body with aws-chunked
 * framing otherwise, and our own sha256 is the integrity check that matters.
 */
export function createS3Client(config: S3ArtifactStoreConfig): S3Client {
  const { credentials } = config;
  return new S3Client({
    region: config.region,
    ...(config.endpoint && { endpoint: config.endpoint }),
    forcePathStyle: config.forcePathStyle,
    ...(credentials && {
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey.reveal(),
        ...(credentials.sessionToken && { sessionToken: credentials.sessionToken.reveal() }),
      },
    }),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Creates the bucket unless it exists already (idempotent, safe under races). */
export async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const region = await client.config.region();
  try {
    await client.send(
      new CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 is the one region that refuses an explicit location constraint.
        ...(region !== 'us-east-1' && { CreateBucketConfiguration: { LocationConstraint: region as never } }),
      }),
    );
  } catch (error) {
    if ((error as Partial<S3ServiceException> | undefined)?.name !== 'BucketAlreadyOwnedByYou') throw error;
  }
}

export interface S3ArtifactStoreOptions {
  client: S3Client;
  bucket: string;
  /** Multipart part size (≥ 5 MiB). Memory per upload ≈ partSize × queueSize. */
  partSizeBytes?: number;
  queueSize?: number;
}

/** Artifact store on S3 or an S3-compatible server; URIs are `s3://<bucket>/<key>`. */
export class S3ArtifactStore extends BaseArtifactStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(options: S3ArtifactStoreOptions) {
    super();
    this.client = options.client;
    this.bucket = options.bucket;
    this.partSize = Math.max(options.partSizeBytes ?? DEFAULT_PART_SIZE, MIN_PART_SIZE);
    this.queueSize = options.queueSize ?? 2;
  }

  ensureReady(): Promise<void> {
    return ensureBucket(this.client, this.bucket);
  }

  uriOf(key: ArtifactKey): string {
    return `s3://${this.bucket}/${parseArtifactKey(key)}`;
  }

  protected keyOf(uri: string): ArtifactKey {
    const prefix = `s3://${this.bucket}/`;
    if (!uri.startsWith(prefix))
      throw invalidArgument(`Not an artifact URI of bucket ${this.bucket}`, {
        reason: 'ARTIFACT_URI_INVALID',
        details: { uri },
      });
    return parseArtifactKey(uri.slice(prefix.length));
  }

  /**
   * Streams through the digest into a multipart upload. The digest stream fails before the
   * upload completes (size limit, or expected sha256 at the end), so the upload is aborted and no
   * object ever appears under the key.
   */
  async put(key: ArtifactKey, body: Readable | Uint8Array, options: PutOptions = {}): Promise<PutResult> {
    const uri = this.uriOf(key);
    const digest = this.uploadDigest(uri, options);
    pipeline(toReadable(body), digest, () => undefined);
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: digest,
        ...(options.contentType && { ContentType: options.contentType }),
      },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // S3 failed rather than the body: stop reading the caller's stream too.
      digest.destroy();
      throw unavailableOr(error);
    }
    return { uri, sha256: digest.sha256, sizeBytes: digest.sizeBytes };
  }

  protected async openRaw(key: ArtifactKey): Promise<Readable> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return response.Body as Readable;
    } catch (error) {
      throw isNotFound(error) ? artifactNotFound(this.uriOf(key)) : unavailableOr(error);
    }
  }

  async head(uri: string): Promise<ArtifactHead> {
    const key = this.keyOf(uri);
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        uri,
        sizeBytes: response.ContentLength ?? 0,
        ...(response.ContentType && { contentType: response.ContentType }),
        ...(response.ETag && { etag: response.ETag }),
        ...(response.LastModified && { lastModified: response.LastModified }),
      };
    } catch (error) {
      throw isNotFound(error) ? artifactNotFound(uri) : unavailableOr(error);
    }
  }

  async delete(uri: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(uri) }));
    } catch (error) {
      throw unavailableOr(error);
    }
  }
}

function isNotFound(error: unknown): boolean {
  const failure = error as Partial<S3ServiceException> | undefined;
  return (
    ['NoSuchKey', 'NotFound', 'NoSuchBucket'].includes(String(failure?.name)) ||
    failure?.$metadata?.httpStatusCode === 404
  );
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * An S3 server that cannot be reached or answers 5xx is UNAVAILABLE (clients may retry), not an
 * internal error; everything else passes through unchanged.
 */
function unavailableOr(error: unknown): unknown {
  if (error instanceof FledgeError) return error;
  const failure = error as Partial<S3ServiceException> & { code?: string; cause?: { code?: string } };
  // The SDK sometimes wraps socket errors ("AWS SDK error wrapper for Error: connect ECONNREFUSED").
  const code =
    failure?.code ?? failure?.cause?.code ?? /\b(E[A-Z]+)\b/.exec(String((error as Error)?.message ?? ''))?.[1];
  const status = failure?.$metadata?.httpStatusCode;
  if (
    (code && unreachableCodes.has(code)) ||
    failure?.name === 'TimeoutError' ||
    (status !== undefined && status >= 500)
  ) {
    return new FledgeError('UNAVAILABLE', 'the artifact store is unavailable; try again', {
      reason: 'ARTIFACT_STORE_UNAVAILABLE',
      details: { code: code ?? failure?.name ?? null, status: status ?? null },
      cause: error,
    });
  }
  return error;
}
