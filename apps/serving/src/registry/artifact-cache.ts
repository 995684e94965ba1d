import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { FledgeError, integrityError, invalidArgument } from '@fledge/errors';

/**
 * What the runtime needs from an artifact store: copy an object to a local file. The store may
 * verify the digest itself; the cache verifies it again before anything is loaded.
 */
export interface ArtifactSource {
  downloadToFile(uri: string, expected: { sha256: string }, dest: string): Promise<unknown>;
}

const SHA256 = /^[0-9a-f]{64}$/;

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Model files on local disk, named by their sha256: a file is there only once verified. */
export class ArtifactCache {
  private readonly verified = new Set<string>();
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly dir: string,
    private readonly source: ArtifactSource,
  ) {}

  /** Returns the local path of the artifact, downloading and verifying it when missing. */
  ensure(uri: string, sha256: string): Promise<string> {
    if (!SHA256.test(sha256)) {
      return Promise.reject(
        invalidArgument(`sha256 must be 64 lowercase hex characters`, { reason: 'SHA256_INVALID' }),
      );
    }
    const running = this.inflight.get(sha256);
    if (running) return running;
    const p = this.fetch(uri, sha256).finally(() => this.inflight.delete(sha256));
    this.inflight.set(sha256, p);
    return p;
  }

  private async fetch(uri: string, sha256: string): Promise<string> {
    const path = join(this.dir, `${sha256}.onnx`);
    if (this.verified.has(sha256)) return path;
    await mkdir(this.dir, { recursive: true });
    if (await exists(path)) {
      if ((await sha256OfFile(path)) === sha256) {
        this.verified.add(sha256);
        return path;
      }
      await rm(path, { force: true });
    }
    const tmp = join(this.dir, `.${sha256}.${process.pid}.${Date.now()}.part`);
    try {
      await this.source.downloadToFile(uri, { sha256 }, tmp);
      const actual = await sha256OfFile(tmp);
      if (actual !== sha256) {
        throw integrityError(`artifact ${uri} has sha256 ${actual}, expected ${sha256}`, {
          reason: 'ARTIFACT_SHA256_MISMATCH',
          details: { uri, expected: sha256, actual },
        });
      }
      await rename(tmp, path);
      this.verified.add(sha256);
      return path;
    } catch (error) {
      await rm(tmp, { force: true });
      if (error instanceof FledgeError) throw error;
      throw new FledgeError('UNAVAILABLE', `artifact ${uri} could not be fetched: ${(error as Error).message}`, {
        reason: 'ARTIFACT_FETCH_FAILED',
        cause: error,
      });
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
