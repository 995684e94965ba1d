import { createWriteStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { invalidArgument } from '@fledge/errors';

import { artifactNotFound } from './artifact-errors.util.js';
import { type ArtifactKey, parseArtifactKey } from './artifact-key.js';
import { type ArtifactHead, type PutOptions, type PutResult } from './artifact-store.js';
import { BaseArtifactStore, writeAtomically } from './base-artifact-store.js';
import { toReadable } from './digest.util.js';

const SCHEME = 'local://';

/**
 * Artifact store on the local filesystem (the embedded default). URIs are root-relative
 * (`local://<key>`), so moving the data folder keeps every recorded URI valid.
 */
export class LocalArtifactStore extends BaseArtifactStore {
  readonly kind = 'local' as const;
  readonly root: string;

  constructor(root: string) {
    super();
    this.root = path.resolve(root);
  }

  async ensureReady(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  uriOf(key: ArtifactKey): string {
    return SCHEME + parseArtifactKey(key);
  }

  protected keyOf(uri: string): ArtifactKey {
    if (!uri.startsWith(SCHEME))
      throw invalidArgument('Not a local artifact URI', { reason: 'ARTIFACT_URI_INVALID', details: { uri } });
    return parseArtifactKey(uri.slice(SCHEME.length));
  }

  /** Keys are validated already; this is the second lock: nothing resolves outside the root. */
  private pathOf(key: ArtifactKey): string {
    const target = path.resolve(this.root, key);
    const relative = path.relative(this.root, target);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative))
      throw invalidArgument('Artifact key resolves outside the store', { reason: 'ARTIFACT_KEY_INVALID' });
    return target;
  }

  async put(key: ArtifactKey, body: Readable | Uint8Array, options: PutOptions = {}): Promise<PutResult> {
    const uri = this.uriOf(key);
    const digest = this.uploadDigest(uri, options);
    await writeAtomically(this.pathOf(key), (tempPath) =>
      pipeline(toReadable(body), digest, createWriteStream(tempPath, { flags: 'wx', flush: true })),
    );
    return { uri, sha256: digest.sha256, sizeBytes: digest.sizeBytes };
  }

  protected async openRaw(key: ArtifactKey): Promise<Readable> {
    try {
      const handle = await open(this.pathOf(key), 'r');
      return handle.createReadStream();
    } catch (error) {
      throw isMissing(error) ? artifactNotFound(this.uriOf(key)) : error;
    }
  }

  async head(uri: string): Promise<ArtifactHead> {
    try {
      const info = await stat(this.pathOf(this.keyOf(uri)));
      if (!info.isFile()) throw artifactNotFound(uri);
      return { uri, sizeBytes: info.size, lastModified: info.mtime };
    } catch (error) {
      throw isMissing(error) ? artifactNotFound(uri) : error;
    }
  }

  async delete(uri: string): Promise<void> {
    await rm(this.pathOf(this.keyOf(uri)), { force: true });
  }
}

// Duck-typed: errors from node:fs may come from another realm (e.g. Jest's VM), failing instanceof.
const isMissing = (error: unknown) =>
  ['ENOENT', 'ENOTDIR'].includes(String((error as NodeJS.ErrnoException | undefined)?.code));
