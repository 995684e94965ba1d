import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type NamedTensor } from '@fledge/inference';
import { getModel, loadDigits } from '@fledge/trainer';

import { gatherModel } from '../../../../libs/inference/test/onnx-fixtures.js';
import { referenceRun } from '../../../../libs/inference/test/reference-run.js';
import { type ServingRuntime } from '../../src/index.js';
import {
  admin,
  applyEndpoint,
  TestArtifacts,
  infer,
  pixelsRequest,
  startTestRuntime,
  tempDir,
  variant,
} from '../serving-harness.js';

describe('serving runtime: protocol and bad input', () => {
  let artifacts: TestArtifacts;
  let sut: ServingRuntime;
  let mlp: { artifactUri: string; sha256: string; path: string };
  let cnn: { artifactUri: string; sha256: string; path: string };
  const digits = loadDigits().test;
  const rows = (from: number, count: number) => digits.features.subarray(from * 784, (from + count) * 784);

  beforeAll(async () => {
    artifacts = new TestArtifacts(tempDir('fledge-artifacts-'));
    const [m, c, slow] = await Promise.all([
      getModel('digits-mlp'),
      getModel('digits-cnn'),
      getModel('digits-mlp-slow'),
    ]);
    mlp = { ...(await artifacts.add('mlp', m.onnx)), path: m.path };
    cnn = { ...(await artifacts.add('cnn', c.onnx)), path: c.path };
    sut = await startTestRuntime(artifacts.store, { maxBodyBytes: 64 * 1024 });
    await applyEndpoint(sut, 'digits', [variant('digits-mlp-v1', mlp)]);
    await applyEndpoint(sut, 'digits-cnn', [variant('digits-cnn-v1', cnn)]);
    await applyEndpoint(sut, 'gather', [variant('gather-v1', await artifacts.add('gather', gatherModel()))]);
    await applyEndpoint(sut, 'slow', [
      variant('slow-v1', await artifacts.add('slow', slow.onnx), { batching: { maxBatchSize: 1, maxQueueSize: 2 } }),
    ]);
  }, 600_000);

  afterAll(async () => {
    await sut?.close();
  });

  it('answers health, server and model metadata from the ONNX signature', async () => {
    expect((await fetch(`${sut.url}/v2/health/live`)).status).toBe(200);
    expect((await fetch(`${sut.url}/v2/health/ready`)).status).toBe(200);
    const server = await (await fetch(`${sut.url}/v2`)).json();
    expect(server).toMatchObject({ extensions: ['binary_tensor_data'] });
    const meta = await (await fetch(`${sut.url}/v2/models/digits`)).json();
    expect(meta).toEqual({
      name: 'digits',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'pixels', datatype: 'FP32', shape: [-1, 784] }],
      outputs: [
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 10] },
        { name: 'label', datatype: 'INT64', shape: [-1] },
      ],
    });
  });

  it.each([
    ['digits', 'mlp'],
    ['digits-cnn', 'cnn'],
  ])('predicts on %s exactly what in-process onnxruntime predicts', async (endpoint, which) => {
    const pixels = rows(10, 3);
    const res = await infer(sut, endpoint, pixelsRequest(pixels, 3));
    expect(res.status).toBe(200);
    expect(res.headers.get('fledge-variant')).toBe(which === 'mlp' ? 'digits-mlp-v1' : 'digits-cnn-v1');
    expect(res.headers.get('fledge-model-version')).toBe('1');
    const body = res.json<{ model_name: string; outputs: { name: string; shape: number[]; data: number[] }[] }>();
    const input: NamedTensor = { name: 'pixels', datatype: 'FP32', shape: [3, 784], data: pixels };
    const expected = referenceRun(which === 'mlp' ? mlp.path : cnn.path, input);
    expect(body.model_name).toBe(endpoint);
    const probs = body.outputs.find((o) => o.name === 'probabilities')!;
    expect(probs.shape).toEqual([3, 10]);
    expect(Float32Array.from(probs.data)).toEqual(Float32Array.from(expected.probabilities));
    expect(body.outputs.find((o) => o.name === 'label')!.data).toEqual(expected.label);
  });

  it('speaks the binary tensor data extension both ways', async () => {
    const pixels = rows(20, 2);
    const header = Buffer.from(
      JSON.stringify({
        inputs: [
          { name: 'pixels', datatype: 'FP32', shape: [2, 784], parameters: { binary_data_size: pixels.byteLength } },
        ],
        outputs: [{ name: 'probabilities', parameters: { binary_data: true } }],
      }),
    );
    const body = Buffer.concat([header, Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength)]);
    const res = await fetch(`${sut.url}/v2/models/digits/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.length) },
      body,
    });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    const jsonLength = Number(res.headers.get('inference-header-content-length'));
    const meta = JSON.parse(bytes.subarray(0, jsonLength).toString()) as {
      outputs: { name: string; parameters: { binary_data_size: number } }[];
    };
    expect(meta.outputs).toEqual([
      { name: 'probabilities', datatype: 'FP32', shape: [2, 10], parameters: { binary_data_size: 80 } },
    ]);
    const binary = bytes.subarray(jsonLength);
    const got = new Float32Array(binary.buffer.slice(binary.byteOffset, binary.byteOffset + 80));
    const expected = referenceRun(mlp.path, { name: 'pixels', datatype: 'FP32', shape: [2, 784], data: pixels });
    expect(got).toEqual(Float32Array.from(expected.probabilities));
  });

  it('serves a pinned version and 404s unknown endpoints and versions with an OIP error body', async () => {
    const pinned = await infer(sut, 'digits', pixelsRequest(rows(0, 1)), { version: '1' });
    expect(pinned.status).toBe(200);
    const noEndpoint = await infer(sut, 'nope', pixelsRequest(rows(0, 1)));
    expect(noEndpoint.status).toBe(404);
    expect(noEndpoint.json().error).toMatch(/endpoint nope does not exist/);
    const noVersion = await infer(sut, 'digits', pixelsRequest(rows(0, 1)), { version: '7' });
    expect(noVersion.status).toBe(404);
    expect(noVersion.json().error).toMatch(/no version 7/);
    expect((await fetch(`${sut.url}/v2/models/nope`)).status).toBe(404);
  });

  it.each([
    ['malformed JSON', '{"inputs": [', /malformed JSON/],
    [
      'a wrong input name',
      { inputs: [{ name: 'pixelz', datatype: 'FP32', shape: [1, 784], data: new Array(784).fill(0) }] },
      /missing input pixels/,
    ],
    [
      'a wrong shape',
      { inputs: [{ name: 'pixels', datatype: 'FP32', shape: [1, 783], data: new Array(783).fill(0) }] },
      /shape \[1,783\]/,
    ],
    [
      'a wrong datatype',
      { inputs: [{ name: 'pixels', datatype: 'FP64', shape: [1, 784], data: new Array(784).fill(0) }] },
      /datatype FP64/,
    ],
    [
      'a wrong data length',
      { inputs: [{ name: 'pixels', datatype: 'FP32', shape: [1, 784], data: new Array(780).fill(0) }] },
      /780 values/,
    ],
    [
      'a non-numeric value',
      { inputs: [{ name: 'pixels', datatype: 'FP32', shape: [1, 2], data: [0, 'x'] }] },
      /"x" at 1 is not FP32/,
    ],
    [
      'an unknown datatype',
      { inputs: [{ name: 'pixels', datatype: 'FLOAT', shape: [1, 784], data: [] }] },
      /unknown datatype/,
    ],
  ])('answers 400 naming the problem for %s', async (_what, body, message) => {
    const res = await infer(sut, 'digits', body);
    expect(res.status).toBe(400);
    expect(res.json().error).toMatch(message);
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await infer(sut, 'digits', pixelsRequest(new Float32Array(784 * 40).fill(0.123456), 40));
    expect(res.status).toBe(413);
    expect(res.json().error).toMatch(/exceeds the 65536-byte limit/);
  });

  it('fails only the request whose run throws in onnxruntime (500)', async () => {
    const call = (idx: number) =>
      infer(sut, 'gather', { inputs: [{ name: 'idx', datatype: 'INT64', shape: [1], data: [idx] }] });
    const [ok1, bad, ok2] = await Promise.all([call(3), call(99), call(4)]);
    expect([ok1.status, bad.status, ok2.status]).toEqual([200, 500, 200]);
    expect(bad.json().error).toMatch(/the model failed to run/);
    expect(ok2.json<{ outputs: { data: number[] }[] }>().outputs[0].data).toEqual([4]);
  });

  it('answers 503 quickly when a variant queue is full', async () => {
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 40 }, () => infer(sut, 'slow', pixelsRequest(rows(0, 1)))));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    const refused = results.find((r) => r.status === 503)!;
    expect(refused.json().error).toMatch(/queue is full/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('replaces a dead worker thread and keeps serving', async () => {
    sut.modelRuntime.pool.crashWorkerForTesting(0);
    const deadline = Date.now() + 10_000;
    while (sut.modelRuntime.pool.stats().restarts < 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    let res = await infer(sut, 'digits', pixelsRequest(rows(0, 1)));
    while (res.status !== 200 && Date.now() < deadline) res = await infer(sut, 'digits', pixelsRequest(rows(0, 1)));
    expect(res.status).toBe(200);
    expect(sut.modelRuntime.pool.stats()).toMatchObject({ restarts: 1, readyWorkers: 1 });
  });

  it('requires the bearer token on the admin API (401)', async () => {
    expect((await admin(sut, 'GET', '/admin/endpoints', undefined, 'wrong-token')).status).toBe(401);
    const res = await fetch(`${sut.adminUrl}/admin/endpoints`);
    expect(res.status).toBe(401);
    expect((await admin(sut, 'GET', '/admin/endpoints')).status).toBe(200);
  });

  it('refuses an artifact whose sha256 differs and keeps the old configuration serving', async () => {
    const before = await admin(sut, 'GET', '/admin/endpoints/digits');
    const wrong = { artifactUri: cnn.artifactUri, sha256: mlp.sha256.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) };
    const res = await admin(sut, 'PUT', '/admin/endpoints/digits', { variants: [variant('digits-cnn-v2', wrong)] });
    expect(res.status).toBe(422);
    expect(res.json()).toMatchObject({ code: 'INTEGRITY' });
    expect(res.json().error).toMatch(/sha256/);
    const after = await admin(sut, 'GET', '/admin/endpoints/digits');
    expect(after.json()).toEqual(before.json());
    const served = await infer(sut, 'digits', pixelsRequest(rows(0, 1)));
    expect(served.status).toBe(200);
    expect(served.headers.get('fledge-variant')).toBe('digits-mlp-v1');
  });
});
