import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AuditEventsDocument,
  type AuditEventsQueryVariables,
  CreateApiKeyDocument,
  CreateUploadDocument,
  RevokeApiKeyDocument,
  ViewerKeyDocument,
  type FledgeClient,
} from '@fledge/client';
import { type FledgeDatabase } from '@fledge/db';
import { openTestDatabase, serverTestEnv, startTestApi, type TestApi } from '@fledge/testing';

import { refusal, sha256 } from '../support/registry-client.js';

const createUpload = async (client: FledgeClient) =>
  (await client.request(CreateUploadDocument, { input: { kind: 'MODEL', filename: 'm.onnx' } })).createUpload;

describe('uploads: claimed by one PUT, owned by key id; keys audited by id', () => {
  let api: TestApi;
  let db: FledgeDatabase;
  let s3: S3Client;

  beforeAll(async () => {
    api = await startTestApi(serverTestEnv());
    db = await openTestDatabase();
    s3 = new S3Client({
      endpoint: api.env.FLEDGE_S3_ENDPOINT,
      region: api.env.AWS_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: api.env.AWS_ACCESS_KEY_ID, secretAccessKey: api.env.AWS_SECRET_ACCESS_KEY },
    });
  });

  afterAll(async () => {
    await api?.close();
    await db?.close();
    s3?.destroy();
  });

  const put = (url: string, key: string, body: Uint8Array | ReadableStream<Uint8Array>, signal?: AbortSignal) =>
    fetch(`${api.url}${url}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream' },
      body,
      duplex: 'half',
      signal,
    } as RequestInit);
  const uploadRow = (id: string) => db.prisma.upload.findUniqueOrThrow({ where: { id } });
  const stored = async (id: string) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: api.env.FLEDGE_S3_BUCKET, Key: `uploads/${id}` }));
    return sha256(await object.Body!.transformToByteArray());
  };

  it('lets exactly one of two concurrent PUTs write; the other gets 409 and touches nothing', async () => {
    const { id, url } = await createUpload(api.client('scientist'));
    const first = new Uint8Array(64 * 1024).fill(1);
    const rest = new Uint8Array(64 * 1024).fill(2);
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    // The winner sends half its body, then waits until the loser has been answered.
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(first);
        await held;
        controller.enqueue(rest);
        controller.close();
      },
    });
    const winner = put(url, api.keys.scientist, body);
    // Wait for the winner's claim (a state change in the database, not a guess at timing).
    for (let row = await uploadRow(id); row.status !== 'receiving'; row = await uploadRow(id)) {
      expect(row.status).toBe('pending');
      await new Promise((resolve) => setImmediate(resolve));
    }
    const loser = await put(url, api.keys.scientist, new Uint8Array(1000).fill(9));
    expect(loser.status).toBe(409);
    expect(((await loser.json()) as { error: unknown }).error).toMatchObject({
      code: 'CONFLICT',
      reason: 'UPLOAD_NOT_PENDING',
    });
    expect((await uploadRow(id)).status).toBe('receiving');

    finish();
    const won = await winner;
    expect(won.status).toBe(200);
    const whole = new Uint8Array([...first, ...rest]);
    expect(await won.json()).toMatchObject({ status: 'COMPLETE', sha256: sha256(whole), sizeBytes: whole.byteLength });
    expect(await stored(id)).toBe(sha256(whole));
    expect(await uploadRow(id)).toMatchObject({ status: 'complete', sha256: sha256(whole) });

    // Arriving after the winner changes nothing either.
    const late = await put(url, api.keys.scientist, new Uint8Array(10));
    expect(late.status).toBe(409);
    expect(await stored(id)).toBe(sha256(whole));
  });

  it('gives a failed transfer its claim back, so the client can PUT again', async () => {
    const { id, url } = await createUpload(api.client('scientist'));
    const aborted = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const dropped = put(url, api.keys.scientist, body, aborted.signal);
    for (let row = await uploadRow(id); row.status !== 'receiving'; row = await uploadRow(id)) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    aborted.abort();
    await dropped.catch(() => undefined);
    for (let row = await uploadRow(id); row.status !== 'pending'; row = await uploadRow(id)) {
      expect(row.status).toBe('receiving');
      await new Promise((resolve) => setImmediate(resolve));
    }
    const retry = await put(url, api.keys.scientist, new Uint8Array([1, 2, 3]));
    expect(retry.status).toBe(200);
  });

  it('keeps key names unique among active keys, and a reused name inherits neither uploads nor audit', async () => {
    const name = `owner-${Date.now()}`;
    const admin = api.client();
    const create = async () =>
      (await admin.request(CreateApiKeyDocument, { input: { name, role: 'SCIENTIST' } })).createApiKey;
    const first = await create();
    expect(await refusal(create())).toMatchObject({ code: 'CONFLICT', reason: 'API_KEY_NAME_TAKEN' });

    const { id: uploadId } = await createUpload(api.clientWithKey(first.secret));
    await admin.request(RevokeApiKeyDocument, { id: first.apiKey.id });
    const second = await create();
    expect(second.apiKey.id).not.toBe(first.apiKey.id);

    // Same name, another key: the first key's upload is not the second's.
    const res = await put(`/uploads/${uploadId}`, second.secret, new Uint8Array([1]));
    expect(res.status).toBe(404);
    expect((await uploadRow(uploadId)).status).toBe('pending');

    const audit = async (filter: Omit<AuditEventsQueryVariables, 'first'>) =>
      (await admin.request(AuditEventsDocument, { ...filter, first: 50 })).auditEvents.edges.map((e) => e.node);
    const byFirst = await audit({ actorId: first.apiKey.id });
    expect(byFirst).toEqual([
      expect.objectContaining({ action: 'upload.create', actorId: first.apiKey.id, actorName: name, actor: name }),
    ]);
    expect(await audit({ actorId: second.apiKey.id })).toEqual([]);
    expect((await audit({ actor: name })).length).toBe(1);
    const { viewer } = await api.clientWithKey(second.secret).request(ViewerKeyDocument);
    expect(viewer).toMatchObject({ id: second.apiKey.id, name });
  });
});
