import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FledgeClient } from '@fledge/client';

import { graphqlData, startFakeApi, type FakeApi, type RecordedRequest } from '../../test/support/fake-api.js';
import { UsageError } from '../usage-error.js';
import { uploadFile, type UploadProgress } from './uploader.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe(uploadFile.name, () => {
  let api: FakeApi;
  let dir: string;
  let file: string;
  // Deterministic content (a byte pattern with period 251, so no chunk boundary lines up with it).
  const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
  let client: FledgeClient;

  const upload = (over: Record<string, unknown> = {}) => ({
    id: 'u1',
    kind: 'MODEL',
    status: 'PENDING',
    url: '/uploads/u1',
    maxBytes: 1_000_000,
    sha256: null,
    sizeBytes: null,
    expiresAt: '2026-01-01T00:00:00.000Z',
    ...over,
  });

  /** createUpload over GraphQL, then the PUT answered by `put`. */
  const script = (put: (request: RecordedRequest) => unknown, over: Record<string, unknown> = {}) =>
    api.handle((request) => {
      if (request.url === '/graphql') return graphqlData({ createUpload: upload(over) });
      const answer = put(request) as { status: number; json: unknown };
      return answer;
    });

  beforeAll(async () => {
    api = await startFakeApi();
    dir = await mkdtemp(path.join(tmpdir(), 'fledge-cli-upload-'));
    file = path.join(dir, 'model.onnx');
    await writeFile(file, bytes);
    client = new FledgeClient({ apiUrl: api.url, apiKey: 'k' });
  });
  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('streams the file with its length and key, reports progress and checks the stored digest', async () => {
    script((request) => ({
      status: 200,
      json: upload({ status: 'COMPLETE', sha256: sha256(request.body), sizeBytes: request.body.length }),
    }));
    const seen: number[] = [];
    const progress: UploadProgress = {
      start: (total, name) => seen.push(-total) && expect(name).toBe('model.onnx'),
      advance: (n) => void seen.push(n),
      stop: () => void seen.push(0),
    };
    const sut = await uploadFile(client, 'MODEL', file, progress);

    expect(sut).toMatchObject({ sha256: sha256(bytes), sizeBytes: bytes.length, upload: { status: 'COMPLETE' } });
    const put = api.requests.at(-1)!;
    expect(put.method).toBe('PUT');
    expect(put.url).toBe('/uploads/u1');
    expect(put.headers['content-length']).toBe(String(bytes.length));
    expect(put.headers['content-type']).toBe('application/octet-stream');
    expect(put.headers.authorization).toBe('Bearer k');
    expect(Buffer.compare(put.body, bytes)).toBe(0);
    expect(api.requests.at(-2)!.graphql?.variables).toEqual({ input: { kind: 'MODEL', filename: 'model.onnx' } });
    expect(seen[0]).toBe(-bytes.length);
    expect(seen.at(-1)).toBe(0);
    expect(seen.slice(1, -1).reduce((a, b) => a + b, 0)).toBe(bytes.length);
  });

  it('refuses a file larger than the upload allows before sending it', async () => {
    script(
      () => {
        throw new Error('must not be called');
      },
      { maxBytes: 1000 },
    );
    const before = api.requests.length;
    await expect(uploadFile(client, 'MODEL', file)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(api.requests.slice(before).map((r) => r.method)).toEqual(['POST']);
  });

  it('fails with INTEGRITY when the API stored other bytes', async () => {
    script(() => ({
      status: 200,
      json: upload({ status: 'COMPLETE', sha256: '0'.repeat(64), sizeBytes: bytes.length }),
    }));
    await expect(uploadFile(client, 'MODEL', file)).rejects.toMatchObject({
      code: 'INTEGRITY',
      reason: 'UPLOAD_DIGEST_MISMATCH',
    });
  });

  it('passes the API error of the PUT through', async () => {
    script(() => ({
      status: 403,
      json: { error: { code: 'FORBIDDEN', reason: 'FORBIDDEN', message: 'not yours', details: {} } },
    }));
    await expect(uploadFile(client, 'MODEL', file)).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'not yours' });
  });

  it('reports a missing file as a usage error without calling the API', async () => {
    const before = api.requests.length;
    await expect(uploadFile(client, 'MODEL', path.join(dir, 'nope.onnx'))).rejects.toBeInstanceOf(UsageError);
    expect(api.requests.length).toBe(before);
  });
});
