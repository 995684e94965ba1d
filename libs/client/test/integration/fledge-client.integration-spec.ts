import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateModelDocument,
  CreateUploadDocument,
  FledgeApiError,
  FledgeClient,
  ModelsPageDocument,
  RolloutDetailDocument,
  ViewerDocument,
} from '@fledge/client';
import { freePort, serverTestEnv, startTestApi, uniqueName, type TestApi } from '@fledge/testing';

// The generated documents and the executor against the real API process (PostgreSQL, S3), plus
// two plain HTTP servers standing in for what sits between a browser and the API when things go
// wrong: one that never answers and a gateway that answers HTML.
describe('FledgeClient against the real API', () => {
  let api: TestApi;
  let silent: Server;
  let gateway: Server;
  const url = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  beforeAll(async () => {
    api = await startTestApi(serverTestEnv());
    silent = createServer(() => undefined);
    gateway = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad Gateway</body></html>');
    });
    await Promise.all([
      new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve)),
      new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve)),
    ]);
  });

  afterAll(async () => {
    silent?.closeAllConnections();
    await new Promise((resolve) => silent?.close(resolve));
    await new Promise((resolve) => gateway?.close(resolve));
    await api?.close();
  });

  const rejection = async (promise: Promise<unknown>): Promise<FledgeApiError> => {
    const error = await promise.then(
      () => {
        throw new Error('expected the request to fail');
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FledgeApiError);
    return error as FledgeApiError;
  };

  it('runs typed documents with the key and returns their data (base URL or /graphql URL)', async () => {
    for (const apiUrl of [api.url, `${api.url}/graphql/`]) {
      const client = new FledgeClient({ apiUrl, apiKey: () => api.keys.viewer });
      const { viewer } = await client.request(ViewerDocument);
      expect(viewer).toEqual({ name: api.keyNames.viewer, role: 'VIEWER' });
    }
    const scientist = new FledgeClient({ apiUrl: api.url, apiKey: api.keys.scientist });
    const name = uniqueName('client');
    await scientist.request(CreateModelDocument, {
      input: { name, task: 'CLASSIFICATION', modality: 'TABULAR' },
    });
    const page = await scientist.request(ModelsPageDocument, { first: 5, filter: { nameContains: name } });
    expect(page.models.totalCount).toBe(1);
    expect(page.models.edges[0].node).toMatchObject({ name, task: 'CLASSIFICATION', latestVersion: null });
  });

  it("maps GraphQL errors to the server's code, reason, details, message and request id", async () => {
    const anonymous = new FledgeClient({ apiUrl: api.url });
    const unauthenticated = await rejection(anonymous.request(ViewerDocument));
    expect(unauthenticated).toMatchObject({ code: 'UNAUTHENTICATED', httpStatus: 200 });
    expect(unauthenticated.message).toMatch(/API key is required/);
    expect(unauthenticated.requestId).toMatch(/^fledge-[0-9a-f]{24}$/);

    const viewer = new FledgeClient({ apiUrl: api.url, apiKey: api.keys.viewer });
    const missing = await rejection(
      viewer.request(RolloutDetailDocument, { id: '0190f0f0-0000-7000-8000-000000000000' }),
    );
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
    expect(missing.message).toMatch(/rollout/);

    const tooLarge = await rejection(viewer.request(ModelsPageDocument, { first: 0 }));
    expect(tooLarge).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'PAGE_SIZE_INVALID',
      details: { field: 'first' },
    });

    const forbidden = await rejection(
      viewer.request(CreateModelDocument, {
        input: { name: uniqueName('nope'), task: 'REGRESSION', modality: 'TEXT' },
      }),
    );
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN', details: { required: 'scientist', held: 'viewer' } });
    expect(forbidden.errors).toHaveLength(1);
  });

  it('streams uploads with the key and maps REST errors the same way', async () => {
    const client = new FledgeClient({ apiUrl: api.url, apiKey: api.keys.scientist });
    const { createUpload } = await client.request(CreateUploadDocument, { input: { kind: 'DATASET' } });
    const bytes = new TextEncoder().encode('{"x": [1, 2], "label": "a"}\n');
    const done = await client.upload<{ status: string; sizeBytes: number }>(createUpload.url, bytes);
    expect(done).toMatchObject({ status: 'COMPLETE', sizeBytes: bytes.byteLength });

    const again = await rejection(client.upload(createUpload.url, bytes));
    expect(again.httpStatus).toBeGreaterThanOrEqual(400);
    expect(again.code).not.toBe('INTERNAL');

    const anonymous = new FledgeClient({ apiUrl: api.url });
    expect(await rejection(anonymous.upload(createUpload.url, bytes))).toMatchObject({
      code: 'UNAUTHENTICATED',
      httpStatus: 401,
    });
  });

  it('reports an unreachable API, a silent one and a gateway error as UNAVAILABLE, never as a crash', async () => {
    const down = new FledgeClient({ apiUrl: `http://127.0.0.1:${await freePort()}` });
    const unreachable = await rejection(down.request(ViewerDocument));
    expect(unreachable).toMatchObject({ code: 'UNAVAILABLE', reason: 'API_UNREACHABLE', httpStatus: null });
    expect(unreachable.unreachable).toBe(true);

    const slow = new FledgeClient({ apiUrl: url(silent), timeoutMs: 300 });
    expect(await rejection(slow.request(ViewerDocument))).toMatchObject({
      code: 'UNAVAILABLE',
      reason: 'API_TIMEOUT',
      httpStatus: null,
    });

    const proxied = new FledgeClient({ apiUrl: url(gateway) });
    expect(await rejection(proxied.request(ViewerDocument))).toMatchObject({
      code: 'UNAVAILABLE',
      reason: 'API_BAD_RESPONSE',
      httpStatus: 502,
    });
  });

  it("rejects with the caller's abort reason when the caller cancels", async () => {
    const slow = new FledgeClient({ apiUrl: url(silent) });
    const controller = new AbortController();
    const pending = slow.request(ViewerDocument, {}, { signal: controller.signal });
    const reason = new Error('page left');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
