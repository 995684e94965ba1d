import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AbortRolloutDocument,
  EndpointDocument,
  ModelWithVersionsDocument,
  RegisterModelVersionDocument,
} from '@fledge/client';
import { serverTestEnv, startTestApi, uniqueName, type RawGraphqlResult, type TestApi } from '@fledge/testing';
import { getModel } from '@fledge/trainer';

import { createModel, refusal, upload } from '../support/registry-client.js';

/** `{ "a": { "a": … { "leaf": 1 } … } }`, `levels` objects deep. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

/** The same as JSON text, built without JSON.stringify (which overflows the stack this deep). */
const nestedJson = (levels: number) => `${'{"a":'.repeat(levels - 1)}{"leaf":1}${'}'.repeat(levels - 1)}`;

/** A GraphQL request whose variables are given as JSON text with `$deep` standing for deep JSON. */
async function postRaw(api: TestApi, key: string, query: string, variablesJson: string) {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: `{"query":${JSON.stringify(query)},"variables":${variablesJson}}`,
  });
  return {
    status: res.status,
    ...((await res.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] }),
  };
}

/** The code and reason of a raw answer's first error. */
const refusedWith = (result: Pick<RawGraphqlResult, 'errors'>) => ({
  code: result.errors?.[0]?.extensions?.code,
  reason: result.errors?.[0]?.extensions?.reason,
});

describe('hostile inputs get INVALID_ARGUMENT naming the limit, and nothing is written', () => {
  let api: TestApi;
  let model: string;
  let uploadId: string;

  beforeAll(async () => {
    api = await startTestApi(serverTestEnv());
    model = uniqueName('inputs');
    await createModel(api, api.keys.scientist, model);
    uploadId = (await upload(api, api.keys.scientist, 'model', (await getModel('digits-mlp')).onnx)).id;
  });

  afterAll(async () => api?.close());

  const versions = async () =>
    (await api.client().request(ModelWithVersionsDocument, { name: model, first: 1 })).model?.versions.totalCount;
  const register = (metadata: unknown) =>
    api.client('scientist').request(RegisterModelVersionDocument, { input: { model, uploadId, metadata } });

  it('refuses metadata nested 5,000 levels deep with 400, registering nothing', async () => {
    const result = await postRaw(
      api,
      api.keys.scientist,
      RegisterModelVersionDocument.toString(),
      `{"input":{"model":${JSON.stringify(model)},"uploadId":"${uploadId}","metadata":${nestedJson(5000)}}}`,
    );
    expect(result.status).toBe(400);
    expect(refusedWith(result)).toEqual({ code: 'INVALID_ARGUMENT', reason: 'JSON_TOO_DEEP' });
    expect(await versions()).toBe(0);
  });

  it.each([
    ['nested 33 levels deep', nested(33), 'JSON_TOO_DEEP'],
    ['of 100 KB', { blob: 'x'.repeat(100 * 1024) }, 'JSON_TOO_LARGE'],
    [
      'of 20,000 small keys',
      Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
      'JSON_TOO_LARGE',
    ],
  ])('refuses metadata %s (variables), registering nothing', async (_what, metadata, reason) => {
    expect(await refusal(register(metadata))).toMatchObject({ code: 'INVALID_ARGUMENT', reason });
    expect(await versions()).toBe(0);
  });

  it('refuses deep metadata written inline in the document too', async () => {
    const literal = `${'{ a: '.repeat(40)}1${' }'.repeat(40)}`;
    const result = await api.rawGraphql(
      `mutation($m: String!, $u: ID!) { registerModelVersion(input: { model: $m, uploadId: $u, metadata: ${literal} }) { version } }`,
      { m: model, u: uploadId },
      api.keys.scientist,
    );
    expect(refusedWith(result)).toEqual({ code: 'INVALID_ARGUMENT', reason: 'JSON_TOO_DEEP' });
    expect(await versions()).toBe(0);
  });

  it('refuses a deep rollout policy and deep endpoint options', async () => {
    const endpoint = uniqueName('inputs-ep');
    const options = await postRaw(
      api,
      api.keys.engineer,
      'mutation($i: CreateEndpointInput!) { createEndpoint(input: $i) { id } }',
      `{"i":{"name":"${endpoint}","options":${nestedJson(5000)}}}`,
    );
    expect(refusedWith(options)).toEqual({ code: 'INVALID_ARGUMENT', reason: 'JSON_TOO_DEEP' });
    expect((await api.client().request(EndpointDocument, { name: endpoint, alarms: 1 })).endpoint).toBeNull();
    const policy = await postRaw(
      api,
      api.keys.engineer,
      'mutation($i: PromoteInput!) { promote(input: $i) { id } }',
      `{"i":{"endpoint":"${endpoint}","model":"${model}","version":1,"policy":${nestedJson(5000)}}}`,
    );
    expect(refusedWith(policy)).toEqual({ code: 'INVALID_ARGUMENT', reason: 'JSON_TOO_DEEP' });
  });

  it.each([
    [
      'a model description',
      'mutation($s: String!) { createModel(input: { name: "too-long-desc", task: REGRESSION, modality: TABULAR, description: $s }) { id } }',
      4001,
      'input.description',
    ],
    [
      'an upload file name',
      'mutation($s: String!) { createUpload(input: { kind: MODEL, filename: $s }) { id } }',
      256,
      'input.filename',
    ],
    [
      'an abort reason',
      'mutation($s: String!) { abortRollout(input: { endpoint: "nowhere", reason: $s }) { id } }',
      4001,
      'input.reason',
    ],
    [
      'a model name filter',
      'query($s: String!) { models(filter: { nameContains: $s }) { totalCount } }',
      4001,
      'filter.nameContains',
    ],
  ])('refuses %s over its length limit, naming the field', async (_what, query, length, field) => {
    const result = await api.rawGraphql(query, { s: 'x'.repeat(length) }, api.keys.admin);
    expect(refusedWith(result)).toEqual({ code: 'INVALID_ARGUMENT', reason: 'INPUT_TOO_LONG' });
    expect(result.errors![0].message).toBe(`${field} is longer than ${length - 1} characters`);
    const atLimit = await api.rawGraphql(query, { s: 'x'.repeat(length - 1) }, api.keys.admin);
    expect(atLimit.errors?.[0]?.extensions?.reason).not.toBe('INPUT_TOO_LONG');
  });

  it('refuses NUL characters, which PostgreSQL cannot store, in strings, JSON and webhook payloads', async () => {
    const abort = await refusal(
      api.client('engineer').request(AbortRolloutDocument, { input: { endpoint: 'a\u0000b' } }),
    );
    expect(abort).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'NUL_CHARACTER' });
    expect(abort.message).toBe('input.endpoint holds a NUL character (\\u0000)');
    expect(await refusal(register({ note: 'x\u0000' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'NUL_CHARACTER',
    });
    const hook = await fetch(`${api.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.keys.alerts}` },
      body: JSON.stringify({
        version: '4',
        alerts: [{ status: 'firing', labels: { alertname: 'a\u0000', endpoint: 'x\u0000' } }],
      }),
    });
    expect(hook.status).toBe(400);
    expect(((await hook.json()) as { error: unknown }).error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'NUL_CHARACTER',
    });
    expect(await versions()).toBe(0);
  });

  it('is still alive and registers the upload once the metadata is reasonable', async () => {
    const { registerModelVersion } = await register(nested(32));
    expect(registerModelVersion.version).toBe(1);
  });
});
