import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type ModelFacts, type ModelSignature } from '@fledge/domain';
import { FledgeError, redactInternals } from '@fledge/errors';
import {
  MAX_SUPPORTED_IR_VERSION,
  OnnxModelRuntime,
  probeInputs,
  readOnnxFacts,
  rowsAreProbabilities,
} from '@fledge/inference';
import { type ArtifactStore } from '@fledge/storage';

import { type ModelInspection, type ModelInspector } from './model.service.js';

/** Probe runs besides the warm-up on zeros: enough to tell probabilities from logits. */
const PROBES = 3;

/**
 * Opens an uploaded model: its protobuf is decoded for what the signature does not say (IR
 * version, class labels), then onnxruntime loads it in a worker thread — it must load, expose only
 * tensors and survive a warm-up run — and a few seeded probe runs tell whether its class scores
 * are probabilities. Every refusal is INVALID_ARGUMENT / ONNX_UNREADABLE with a reason free of
 * server paths and onnxruntime's internals.
 */
export class OnnxModelInspector implements ModelInspector {
  private runtime: OnnxModelRuntime | null = null;

  constructor(private readonly store: ArtifactStore) {}

  async inspect(artifact: { uri: string; sha256: string }): Promise<ModelInspection> {
    const dir = await mkdtemp(path.join(tmpdir(), 'fledge-inspect-'));
    const file = path.join(dir, 'model.onnx');
    try {
      await this.store.downloadToFile(artifact.uri, { sha256: artifact.sha256 }, file);
      return await this.inspectFile(file, `inspect:${artifact.sha256}:${path.basename(dir)}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Inspects a local ONNX file; `key` names its session while it is open. */
  async inspectFile(file: string, key: string): Promise<ModelInspection> {
    const { outputClasses } = readOnnxFacts(await readFile(file));
    this.runtime ??= new OnnxModelRuntime({ workers: 1 });
    let signature: ModelSignature;
    try {
      signature = (await this.runtime.load({ key, path: file })).signature;
    } catch (error) {
      throw unreadable(error, file);
    }
    try {
      return { signature, facts: { outputClasses, probabilityLike: await this.probe(key, signature) } };
    } finally {
      await this.runtime.release(key).catch(() => undefined);
    }
  }

  /** Per float `[batch, classes]` output: did every probe row look like probabilities? */
  private async probe(key: string, signature: ModelSignature): Promise<ModelFacts['probabilityLike']> {
    const scored = signature.outputs.filter(
      (o) => (o.datatype === 'FP32' || o.datatype === 'FP64') && o.shape.length === 2 && o.shape[1] !== 1,
    );
    const result: ModelFacts['probabilityLike'] = {};
    if (scored.length === 0) return result;
    for (const o of scored) result[o.name] = true;
    for (let seed = 0; seed < PROBES; seed++) {
      let outputs;
      try {
        outputs = await this.runtime!.run(key, probeInputs(signature, seed), { transferInputs: true });
      } catch {
        return {}; // a model that rejects probe values stays undetected (declared or assumed instead)
      }
      for (const o of scored) {
        const t = outputs.find((x) => x.name === o.name);
        if (!t || !rowsAreProbabilities(t)) result[o.name] = false;
      }
    }
    return result;
  }

  async close(): Promise<void> {
    await this.runtime?.close();
    this.runtime = null;
  }
}

/** onnxruntime's load error in the user's terms: no server path, no C++ source location or signature. */
function unreadable(error: unknown, file: string): FledgeError {
  const raw = (error as Error).message ?? String(error);
  const ir = /Unsupported model IR version: (\d+)/.exec(raw);
  if (ir) {
    return new FledgeError(
      'INVALID_ARGUMENT',
      `the model uses ONNX IR version ${ir[1]}; this runtime loads IR versions up to ${MAX_SUPPORTED_IR_VERSION}. ` +
        `Re-export it for an older IR (with onnx: model.ir_version = ${MAX_SUPPORTED_IR_VERSION} before onnx.save).`,
      { reason: 'ONNX_UNREADABLE', details: { irVersion: Number(ir[1]) }, cause: error },
    );
  }
  const reason = redactInternals(
    raw
      .replaceAll(file, 'the uploaded file')
      .replace(/^the model (cannot be loaded|failed to run): /, '')
      .replace(/Load model from the uploaded file failed:\s*/i, ''),
  ).replace(/[\w:~<>]*onnxruntime::[\w:~<>]+\([^)]*\)\s*/g, '');
  return new FledgeError('INVALID_ARGUMENT', `onnxruntime cannot use this file: ${reason || 'it does not load'}`, {
    reason: 'ONNX_UNREADABLE',
    cause: error,
  });
}
