import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { LocalHostingBackend } from '@fledge/hosting';
import { type NamedTensor } from '@fledge/inference';
import { getModel, loadDigits } from '@fledge/trainer';

import { gatherModel } from '../../../../libs/inference/test/onnx-fixtures.js';
import { referenceRun } from '../../../../libs/inference/test/reference-run.js';
import { type ServingRuntime } from '../../src/index.js';
import {
  ADMIN_TOKEN,
  admin,
  applyEndpoint,
  TestArtifacts,
  infer,
  pixelsRequest,
  rawRequest,
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
    sut = await startTestRuntime(artifacts.store, { maxBodyBytes: 64 * 1024, bodyTimeoutMs: 2000 });
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

  // Found by probing a running server from outside: each used to answer 500, or 200 with nulls.
  it.each([
    [
      'deeply nested data (3,000 levels)',
      `{"inputs":[{"name":"pixels","datatype":"FP32","shape":[1,784],"data":${'['.repeat(3000)}0${']'.repeat(3000)}}]}`,
      'JSON_TOO_DEEP',
    ],
    [
      'deeply nested parameters (5,000 levels)',
      `{"inputs":[],"parameters":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
      'JSON_TOO_DEEP',
    ],
    [
      '1e39 for FP32',
      JSON.stringify(pixelsRequest(new Array(784).fill(0))).replace(/0\]/, '1e39]'),
      'INPUT_VALUE_OUT_OF_RANGE',
    ],
    ['1e999', JSON.stringify(pixelsRequest(new Array(784).fill(0))).replace(/0\]/, '1e999]'), 'NUMBER_OUT_OF_RANGE'],
    ['a NaN literal', JSON.stringify(pixelsRequest(new Array(784).fill(0))).replace(/0\]/, 'NaN]'), 'MALFORMED_JSON'],
  ])('answers 400 (typed) for %s', async (_what, body, reason) => {
    const res = await infer(sut, 'digits', body);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_ARGUMENT', reason });
  });

  it.each([
    ['POST', '/v2/models/%E0%A4%A/infer'],
    ['POST', '/v2/models/digits/versions/%ZZ/infer'],
    ['GET', '/v2/models/%C0%AF'],
    ['GET', '/v2/models/digits/versions/%/ready'],
  ])('answers 400 PATH_INVALID for bad percent-encoding: %s %s', async (method, path) => {
    const res = await rawRequest(
      sut.port,
      `${method} ${path} HTTP/1.1\nHost: x\nConnection: close\nContent-Length: 2`,
      '{}',
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'PATH_INVALID' });
    const adminRes = await rawRequest(
      sut.adminPort,
      `GET /admin/endpoints/%E0%A4%A HTTP/1.1\nHost: x\nAuthorization: Bearer ${ADMIN_TOKEN}\nConnection: close`,
    );
    expect(adminRes.status).toBe(400);
  });

  it('answers 408 (typed) and closes the connection when the body is shorter than its Content-Length', async () => {
    const started = Date.now();
    const res = await rawRequest(
      sut.port,
      'POST /v2/models/digits/infer HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 5000',
      '{"inputs": [',
    );
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'REQUEST_TIMEOUT', reason: 'BODY_TIMEOUT' });
    expect(res.headers.connection).toBe('close');
    expect(res.closed).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect((await infer(sut, 'digits', pixelsRequest(rows(0, 1)))).status).toBe(200);
  });

  describe('binary data extension, hostile lengths', () => {
    const pixels = rows(5, 1);
    const send = (headerLength: string, sizeDelta = 0, cut = 0) => {
      const header = Buffer.from(
        JSON.stringify({
          inputs: [
            {
              name: 'pixels',
              datatype: 'FP32',
              shape: [1, 784],
              parameters: { binary_data_size: pixels.byteLength + sizeDelta },
            },
          ],
        }),
      );
      const full = Buffer.concat([header, Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength)]);
      return fetch(`${sut.url}/v2/models/digits/infer`, {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          'inference-header-content-length': headerLength.replace('$', String(header.length)),
        },
        body: full.subarray(0, full.length - cut),
      });
    };

    it.each([
      ['truncated binary data', '$', 0, 7, 'INPUT_DATA_LENGTH'],
      ['a binary_data_size larger than the data', '$', 4, 0, 'INPUT_DATA_LENGTH'],
      ['a binary_data_size smaller than the shape needs', '$', -4, 0, 'INPUT_DATA_LENGTH'],
      ['a header length beyond the body', '99999', 0, 0, 'BINARY_HEADER_INVALID'],
      ['a header length that is not a number', 'abc', 0, 0, 'BINARY_HEADER_INVALID'],
    ])('answers 400 for %s', async (_what, headerLength, sizeDelta, cut, reason) => {
      const res = await send(headerLength, sizeDelta, cut);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'INVALID_ARGUMENT', reason });
    });

    it('serves the same request untouched (control)', async () => {
      expect((await send('$')).status).toBe(200);
    });
  });

  it('counts client errors per variant apart from server-side faults, with a latency distribution', async () => {
    await applyEndpoint(sut, 'budget', [variant('budget-v1', mlp)]);
    await applyEndpoint(sut, 'budget-gather', [
      variant('budget-gather-v1', await artifacts.add('gather2', gatherModel())),
    ]);
    for (let i = 0; i < 5; i++) expect((await infer(sut, 'budget', pixelsRequest(rows(i, 1)))).status).toBe(200);
    for (const bad of [
      '{"inputs": [',
      { inputs: [{ name: 'pixels', datatype: 'FP32', shape: [1, 784], data: [1e39] }] },
    ])
      expect((await infer(sut, 'budget', bad)).status).toBe(400);
    const gather = (idx: number) =>
      infer(sut, 'budget-gather', { inputs: [{ name: 'idx', datatype: 'INT64', shape: [1], data: [idx] }] });
    expect((await gather(99)).status).toBe(500);
    expect((await gather(1)).status).toBe(200);

    const backend = new LocalHostingBackend({ adminUrl: sut.adminUrl, adminToken: ADMIN_TOKEN });
    const [budget] = await backend.variantStats('budget', { seconds: 60 });
    expect(budget).toMatchObject({
      variant: 'budget-v1',
      requests: 7,
      errors: 0,
      clientErrors: 2,
      errorsByKind: {},
      source: 'local',
    });
    expect(budget.latency!.counts.reduce((a, b) => a + b, 0)).toBe(5);
    // The top bin holds the slowest request: within the 1% width of its HDR bucket.
    expect(Math.abs(budget.latency!.valuesMs.at(-1)! - budget.maxMs)).toBeLessThanOrEqual(budget.maxMs * 0.01);
    const [faulty] = await backend.variantStats('budget-gather', { seconds: 60 });
    expect(faulty).toMatchObject({ requests: 2, errors: 1, clientErrors: 0, errorsByKind: { model_error: 1 } });

    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    expect(metrics).toMatch(
      /fledge_serving_client_errors_total\{endpoint="budget",variant="budget-v1",model_version="mv-budget-v1",kind="invalid_input"\} 2/,
    );
    expect(metrics).not.toMatch(/fledge_serving_errors_total\{endpoint="budget",/);
    expect(metrics).toMatch(/fledge_serving_errors_total\{endpoint="budget-gather",.*kind="model_error"\} 1/);
    expect(metrics).toMatch(/fledge_serving_refused_total\{code="400",reason="PATH_INVALID"\} \d+/);
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
    const pool = sut.modelRuntime.pool;
    const restarts = pool.stats().restarts;
    pool.crashWorkerForTesting(0);
    await pool.whenRecovered(restarts + 1);
    const res = await infer(sut, 'digits', pixelsRequest(rows(0, 1)));
    expect(res.status).toBe(200);
    expect(pool.stats()).toMatchObject({ restarts: restarts + 1, readyWorkers: 1 });
  });

  it('answers every request of a batch whose worker dies mid-run with a 5xx, and recovers', async () => {
    const pool = sut.modelRuntime.pool;
    const restarts = pool.stats().restarts;
    // The thread dies on the next batch of bodies it receives: all of that batch is lost.
    pool.crashWorkerForTesting(0, { midBatch: true });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => infer(sut, 'digits', pixelsRequest(rows(i, 1)))),
    );
    const failed = results.filter((r) => r.status !== 200);
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      expect(r.status).toBe(503);
      expect(r.json().error).toMatch(/the inference worker stopped while running this request/);
    }
    // The requests queued behind the lost batch ran on the replacement thread.
    expect(results.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    await pool.whenRecovered(restarts + 1);
    const after = await Promise.all(
      Array.from({ length: 4 }, (_, i) => infer(sut, 'digits', pixelsRequest(rows(i, 1)))),
    );
    expect(after.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(pool.stats()).toMatchObject({ restarts: restarts + 1, readyWorkers: 1 });
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
