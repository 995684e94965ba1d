import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type ModelSignature } from '@fledge/domain';
import { FledgeError, redactInternals } from '@fledge/errors';
import { OnnxModelRuntime } from '@fledge/inference';
import { type ArtifactStore } from '@fledge/storage';

import { type ModelInspector } from './model.service.js';

/**
 * Opens an uploaded model with onnxruntime in a worker thread: the file must load, expose only
 * tensors, and survive a warm-up run on zeros of its input shapes. Its signature is what ORT reports.
 */
export class OnnxModelInspector implements ModelInspector {
  private runtime: OnnxModelRuntime | null = null;

  constructor(private readonly store: ArtifactStore) {}

  async inspect(artifact: { uri: string; sha256: string }): Promise<ModelSignature> {
    const dir = await mkdtemp(path.join(tmpdir(), 'fledge-inspect-'));
    const file = path.join(dir, 'model.onnx');
    const key = `inspect:${artifact.sha256}:${path.basename(dir)}`;
    try {
      await this.store.downloadToFile(artifact.uri, { sha256: artifact.sha256 }, file);
      this.runtime ??= new OnnxModelRuntime({ workers: 1 });
      try {
        const loaded = await this.runtime.load({ key, path: file });
        return loaded.signature;
      } catch (error) {
        // ORT names the file it read and its own source location: internals the client has no business seeing.
        const reason = redactInternals((error as Error).message.replaceAll(file, 'the uploaded file'));
        throw new FledgeError('INVALID_ARGUMENT', `onnxruntime cannot use this file: ${reason}`, {
          reason: 'ONNX_UNREADABLE',
          cause: error,
        });
      } finally {
        await this.runtime.release(key).catch(() => undefined);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    await this.runtime?.close();
    this.runtime = null;
  }
}
