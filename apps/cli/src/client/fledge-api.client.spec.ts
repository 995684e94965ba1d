import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Secret } from '@fledge/config';
import { FledgeError } from '@fledge/errors';

import { graphqlData, graphqlError, startFakeApi, type FakeApi } from '../../test/support/fake-api.js';
import { FledgeApiClient } from './fledge-api.client.js';

const KEY = 'fledge_abcdefabcdef_secretsecretsecret';

describe(FledgeApiClient.name, () => {
  let api: FakeApi;
  let sut: FledgeApiClient;

  beforeAll(async () => {
    api = await startFakeApi();
    sut = new FledgeApiClient({ url: api.url, key: new Secret(KEY) }, { timeoutMs: 300 });
  });
  afterAll(() => api.close());

  const failure = async (promise: Promise<unknown>): Promise<FledgeError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FledgeError);
    return error as FledgeError;
  };

  it('posts the operation with its variables and the bearer key, and answers the data', async () => {
    api.handle(() => graphqlData({ viewer: { name: 'ci', role: 'SCIENTIST' } }));
    await expect(sut.viewer()).resolves.toEqual({ name: 'ci', role: 'SCIENTIST' });
    const request = api.requests.at(-1)!;
    expect(request.url).toBe('/graphql');
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.graphql?.query).toContain('viewer');
  });

  it('turns a GraphQL error into a FledgeError with its code, reason and details', async () => {
    api.handle(() => graphqlError('CONFLICT', 'model digits exists', 'MODEL_EXISTS', { name: 'digits' }));
    const error = await failure(sut.createModel({ name: 'digits', task: 'CLASSIFICATION', modality: 'IMAGE' }));
    expect(error.toJSON()).toEqual({
      code: 'CONFLICT',
      reason: 'MODEL_EXISTS',
      message: 'model digits exists',
      details: { name: 'digits' },
    });
  });

  it('treats an unknown error code as INTERNAL', async () => {
    api.handle(() => graphqlError('TEAPOT', 'short and stout'));
    expect((await failure(sut.viewer())).code).toBe('INTERNAL');
  });

  it('answers NOT_FOUND for a model the API reports as null', async () => {
    api.handle(() => graphqlData({ model: null }));
    const error = await failure(sut.model('ghost'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('model ghost does not exist');
  });

  it('reports a server that is not a Fledge API as INTERNAL, and a gateway error as UNAVAILABLE', async () => {
    api.handle(() => ({ status: 404, text: '<html>Not Found</html>' }));
    const notApi = await failure(sut.viewer());
    expect(notApi.code).toBe('INTERNAL');
    expect(notApi.reason).toBe('UNEXPECTED_RESPONSE');
    api.handle(() => ({ status: 503, text: 'upstream down' }));
    expect((await failure(sut.viewer())).code).toBe('UNAVAILABLE');
  });

  it('reports a refused connection as UNAVAILABLE (API_UNREACHABLE)', async () => {
    const closed = await startFakeApi();
    await closed.close();
    const error = await failure(new FledgeApiClient({ url: closed.url, key: undefined }).viewer());
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.reason).toBe('API_UNREACHABLE');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('reports an API that does not answer in time as UNAVAILABLE (API_TIMEOUT)', async () => {
    api.handle(() => ({ ...graphqlData({ viewer: { name: 'x', role: 'VIEWER' } }), delayMs: 1000 }));
    const error = await failure(sut.viewer());
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.reason).toBe('API_TIMEOUT');
  });

  it('never puts the key in an error message', async () => {
    api.handle(() => graphqlError('UNAUTHENTICATED', 'the API key is not valid'));
    const error = await failure(sut.viewer());
    expect(JSON.stringify(error.toJSON())).not.toContain(KEY);
    expect(error.code).toBe('UNAUTHENTICATED');
  });

  it('maps an upload error body to its code', async () => {
    api.handle(() => ({
      status: 413,
      json: {
        error: { code: 'PAYLOAD_TOO_LARGE', reason: 'UPLOAD_TOO_LARGE', message: 'too big', details: { maxBytes: 4 } },
      },
    }));
    const body = new Blob([new Uint8Array(8)]).stream();
    const error = await failure(sut.putUpload('/uploads/u1', { stream: body, sizeBytes: 8 }));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.details).toEqual({ maxBytes: 4 });
  });
});
