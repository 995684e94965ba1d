import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { FledgeError } from '@fledge/errors';

import {
  concatBatch,
  type NamedTensor,
  OnnxModelRuntime,
  splitBatch,
  type WireInferBody,
  type WireShadowReply,
} from '../../src/index.js';
import { referenceRun } from '../reference-run.js';
import { fixedShapeModel, gatherModel, mlpClassifier, weights, writeFixture } from '../onnx-fixtures.js';

describe(OnnxModelRuntime.name, () => {
  let dir: string;
  let sut: OnnxModelRuntime;
  let mlpPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fledge-inference-'));
    mlpPath = writeFixture(dir, 'mlp.onnx', mlpClassifier(7));
    writeFixture(dir, 'gather.onnx', gatherModel());
    writeFixture(dir, 'fixed.onnx', fixedShapeModel());
    sut = new OnnxModelRuntime({ workers: 1 });
  });

  afterAll(async () => {
    await sut.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const pixels = (rows: number, seed: number): NamedTensor => ({
    name: 'pixels',
    datatype: 'FP32',
    shape: [rows, 784],
    data: weights(rows * 784, seed, 1).map(Math.abs),
  });

  it('reads the signature and predicts exactly what in-process onnxruntime predicts', async () => {
    const loaded = await sut.load({ key: 'mlp', path: mlpPath });
    expect(loaded.signature).toEqual({
      inputs: [{ name: 'pixels', datatype: 'FP32', shape: [-1, 784] }],
      outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 10] }],
    });
    const input = pixels(3, 11);
    const [out] = await sut.run('mlp', [input]);
    expect(out.shape).toEqual([3, 10]);
    expect(Array.from(out.data as Float32Array)).toEqual(referenceRun(mlpPath, input).probabilities);
  });

  it('gives the same rows batched as one by one', async () => {
    const requests = [pixels(1, 1), pixels(2, 2), pixels(1, 3)];
    const batched = splitBatch(await sut.run('mlp', concatBatch(requests.map((r) => [r]))), [1, 2, 1]);
    const single = await Promise.all(requests.map((r) => sut.run('mlp', [r])));
    expect(batched.map((b) => Array.from(b[0].data as Float32Array))).toEqual(
      single.map((s) => Array.from(s[0].data as Float32Array)),
    );
  });

  it('fails only the run whose input makes onnxruntime throw', async () => {
    await sut.load({ key: 'gather', path: join(dir, 'gather.onnx') });
    const run = (idx: number) =>
      sut.run('gather', [{ name: 'idx', datatype: 'INT64', shape: [1], data: BigInt64Array.of(BigInt(idx)) }]);
    const results = await Promise.allSettled([run(3), run(99), run(4)]);
    expect(results[0]).toMatchObject({ status: 'fulfilled', value: [{ data: Float32Array.of(3) }] });
    expect(results[1].status).toBe('rejected');
    const error = (results[1] as PromiseRejectedResult).reason;
    expect(FledgeError.is(error, 'INTERNAL') && error.reason).toBe('MODEL_RUN_FAILED');
    expect(results[2]).toMatchObject({ status: 'fulfilled', value: [{ data: Float32Array.of(4) }] });
  });

  it('refuses a corrupt model file with a clear reason', async () => {
    const bad = writeFixture(dir, 'bad.onnx', mlpClassifier(1).subarray(0, 500));
    await expect(sut.load({ key: 'bad', path: bad })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'MODEL_UNLOADABLE',
    });
  });

  it('replaces a worker that dies and reloads its models', async () => {
    await sut.load({ key: 'fixed', path: join(dir, 'fixed.onnx') });
    sut.pool.crashWorkerForTesting(0);
    await expect(sut.run('mlp', [pixels(1, 5)])).rejects.toMatchObject({ code: 'UNAVAILABLE', reason: 'WORKER_DIED' });
    await sut.pool.whenRecovered(1);
    expect(sut.pool.stats().restarts).toBe(1);
    await expect(sut.run('mlp', [pixels(1, 5)])).resolves.toHaveLength(1);
    const [y] = await sut.run('fixed', [
      { name: 'x', datatype: 'FP32', shape: [1, 4], data: Float32Array.of(1, 2, 3, 4) },
    ]);
    expect(Array.from(y.data as Float32Array)).toEqual([2, 3, 4, 5]);
  });

  it('starts no thread before a model loads and stops its threads when the last model is released', async () => {
    const pool = new OnnxModelRuntime({ workers: 2 });
    try {
      expect(pool.pool.stats()).toMatchObject({ workers: 0, models: 0 });
      await pool.load({ key: 'mlp', path: mlpPath });
      await pool.load({ key: 'fixed', path: join(dir, 'fixed.onnx') });
      // Two models, no queueing: one thread holds both.
      expect(pool.pool.stats()).toMatchObject({ workers: 1, readyWorkers: 1, models: 2 });
      await pool.release('mlp');
      expect(pool.pool.stats()).toMatchObject({ workers: 1, models: 1 });
      await pool.release('fixed');
      expect(pool.pool.stats()).toMatchObject({ workers: 0, models: 0 });
      await expect(pool.run('fixed', [])).rejects.toMatchObject({ code: 'NOT_FOUND' });

      const [out] = await pool.load({ key: 'mlp', path: mlpPath }).then(() => pool.run('mlp', [pixels(1, 9)]));
      expect(Array.from(out.data as Float32Array)).toEqual(referenceRun(mlpPath, pixels(1, 9)).probabilities);
      expect(pool.pool.stats().workers).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('adds a thread, up to its maximum, only when runs have to wait', async () => {
    const pool = new OnnxModelRuntime({ workers: 2, maxInFlightPerWorker: 1 });
    try {
      await pool.load({ key: 'mlp', path: mlpPath });
      const inputs = Array.from({ length: 40 }, (_, i) => pixels(8, i));
      const outputs = await Promise.all(inputs.map((input) => pool.run('mlp', [input])));
      expect(pool.pool.stats().workers).toBe(2);
      expect(outputs.map(([o]) => Array.from(o.data as Float32Array))).toEqual(
        inputs.map((input) => referenceRun(mlpPath, input).probabilities),
      );
    } finally {
      await pool.close();
    }
  });
});

describe('OnnxModelRuntime shadows', () => {
  let dir: string;
  let sut: OnnxModelRuntime;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fledge-inference-shadows-'));
    sut = new OnnxModelRuntime({ workers: 1 });
    await sut.load({ key: 'mlp', path: writeFixture(dir, 'mlp.onnx', mlpClassifier(7)) });
    await sut.load({ key: 'mlp2', path: writeFixture(dir, 'mlp2.onnx', mlpClassifier(8)) });
    await sut.load({ key: 'fixed', path: writeFixture(dir, 'fixed.onnx', fixedShapeModel()) });
  });

  afterAll(async () => {
    await sut.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const options = (modelName: string) => ({ maxBatchRows: 8, modelName, modelVersion: '1', prediction: null });
  // A buffer of its own: the body's buffer is transferred to the thread.
  const body = (text: string): WireInferBody => ({
    body: new Uint8Array(Buffer.from(text)),
    respond: true,
    summarize: false,
  });
  const row = (seed: number) =>
    JSON.stringify({
      inputs: [
        { name: 'pixels', datatype: 'FP32', shape: [1, 784], data: Array.from(weights(784, seed, 1).map(Math.abs)) },
      ],
    });

  it('answers the primary first, then runs each shadow on the requests the primary found valid', async () => {
    const events: string[] = [];
    let shadowReplies: WireShadowReply[] | Error | undefined;
    const settled = new Promise<void>((resolve) => {
      const reply = sut.infer('mlp', [body(row(1)), body('{"inputs": ['), body(row(2))], options('e'), {
        shadows: {
          runs: [
            { key: 'mlp2', options: options('e'), bodies: [0, 1, 2] },
            { key: 'fixed', options: options('e'), bodies: [2] },
          ],
          settle: (answer) => {
            events.push('shadows');
            shadowReplies = answer;
            resolve();
          },
        },
      });
      void reply.then((r) => {
        events.push('primary');
        expect(r.results.map((x) => x.ok)).toEqual([true, false, true]);
      });
    });
    await settled;
    expect(events).toEqual(['primary', 'shadows']);
    const [mlp2, fixed] = shadowReplies as WireShadowReply[];
    // The malformed body was refused by the primary: the shadow never sees it.
    expect(mlp2.results.map((r) => r?.ok ?? null)).toEqual([true, null, true]);
    expect(mlp2.runs.map((r) => r.rows)).toEqual([2]);
    // A shadow whose signature does not take the request fails on it alone, with the reason.
    expect(fixed.results).toEqual([
      { ok: false, validated: false, error: expect.objectContaining({ code: 'INVALID_ARGUMENT' }) },
    ]);
  });

  it('fails the shadows of a batch whose thread dies, and recovers', async () => {
    sut.pool.crashWorkerForTesting(0, { midBatch: true });
    let shadows: unknown;
    const reply = sut.infer('mlp', [body(row(3))], options('e'), {
      shadows: { runs: [{ key: 'mlp2', options: options('e'), bodies: [0] }], settle: (a) => (shadows = a) },
    });
    await expect(reply).rejects.toMatchObject({ code: 'UNAVAILABLE', reason: 'WORKER_DIED' });
    expect(shadows).toMatchObject({ reason: 'WORKER_DIED' });
    await sut.pool.whenRecovered(1);
    await expect(sut.infer('mlp', [body(row(3))], options('e'))).resolves.toMatchObject({ results: [{ ok: true }] });
  });
});
