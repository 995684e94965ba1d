import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FledgeError } from '@fledge/errors';
import { LocalArtifactStore, uploadKey } from '@fledge/storage';
import { sklearnModels } from '@fledge/testing';
import fc from 'fast-check';

import { OnnxModelInspector } from '../../src/model/onnx-model.inspector.js';

const RUNS = Number(process.env.FLEDGE_FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.FLEDGE_FUZZ_SEED ?? 20261201);

// Random and damaged ONNX files through the registration inspector (protobuf decode, onnxruntime
// load in its worker thread, probe runs): each is refused as ONNX_UNREADABLE with a message free of
// server paths and onnxruntime internals, or (a damaged file that still forms a model) inspected.
describe('ONNX fuzz: the model inspector never crashes and never leaks internals', () => {
  let root: string;
  let store: LocalArtifactStore;
  let sut: OnnxModelInspector;
  let seeds: Uint8Array[];
  let n = 0;
  const outcomes = { refused: 0, inspected: 0 };

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'fledge-onnx-fuzz-'));
    store = new LocalArtifactStore(root);
    sut = new OnnxModelInspector(store);
    const sk = await sklearnModels();
    seeds = await Promise.all(
      (['iris-logreg', 'iris-logreg-names', 'wine-mlp', 'digits-logits', 'diabetes-ridge'] as const).map(async (m) =>
        Uint8Array.from(await readFile(sk.path(m))),
      ),
    );
  });

  afterAll(async () => {
    await sut?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const inspect = async (bytes: Uint8Array) => {
    const put = await store.put(uploadKey(`fuzz-${n++}`), bytes);
    try {
      await sut.inspect(put);
      outcomes.inspected++;
    } catch (error) {
      outcomes.refused++;
      if (!(error instanceof FledgeError)) throw error;
      expect({ code: error.code, reason: error.reason }).toEqual({
        code: 'INVALID_ARGUMENT',
        reason: 'ONNX_UNREADABLE',
      });
      expect(error.message).not.toMatch(
        /onnxruntime::|onnxruntime_src|\.cc:\d|\/tmp\/|fledge-inspect|fledge-onnx-fuzz/,
      );
    } finally {
      await store.delete(put.uri);
    }
  };

  const damaged = () =>
    fc.oneof(
      // truncated at any length
      fc
        .tuple(fc.nat(seeds.length - 1), fc.double({ min: 0, max: 1, noNaN: true }))
        .map(([i, cut]) => seeds[i].subarray(0, Math.floor(seeds[i].length * cut))),
      // a few bytes overwritten
      fc
        .tuple(
          fc.nat(seeds.length - 1),
          fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), {
            minLength: 1,
            maxLength: 8,
          }),
        )
        .map(([i, edits]) => {
          const copy = Uint8Array.from(seeds[i]);
          for (const [at, value] of edits) copy[Math.min(copy.length - 1, Math.floor(at * copy.length))] = value;
          return copy;
        }),
      // arbitrary bytes
      fc.uint8Array({ maxLength: 2048 }),
    );

  it(
    `refuses ${RUNS} random, truncated and corrupted files cleanly (seed ${SEED})`,
    async () => {
      await fc.assert(fc.asyncProperty(damaged(), inspect), { numRuns: RUNS, seed: SEED });
      expect(outcomes.refused + outcomes.inspected).toBeGreaterThanOrEqual(RUNS);
      // Almost every damaged file is refused; the few edits that leave a valid model are inspected normally.
      expect(outcomes.refused).toBeGreaterThan(outcomes.inspected);
    },
    Math.max(120_000, RUNS * 150),
  );

  it('refuses an empty file and a file of zeros', async () => {
    for (const bytes of [new Uint8Array(0), new Uint8Array(1024)]) {
      const put = await store.put(
        uploadKey(`fixed-${createHash('sha256').update(bytes).digest('hex').slice(0, 8)}`),
        bytes,
      );
      await expect(sut.inspect(put)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'ONNX_UNREADABLE' });
    }
  });
});
