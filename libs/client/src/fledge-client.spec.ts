import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { FledgeApiError, FledgeClient } from './fledge-client.js';
import { ViewerDocument } from './generated/graphql.js';

const KEY = 'fledge_0123456789ab_thisisthesecretpart';

// A careless server (or proxy) that quotes the Authorization header back in its errors: the
// client must not carry the key any further.
describe('FledgeClient keeps the API key out of its errors', () => {
  let server: Server;
  let url: string;
  let seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const authorization = req.headers.authorization ?? '';
      seen.push(authorization);
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.method === 'PUT') {
          res.statusCode = 403;
          res.end(JSON.stringify({ error: { code: 'FORBIDDEN', message: `no upload for ${authorization}` } }));
          return;
        }
        res.end(
          JSON.stringify({
            data: null,
            errors: [
              {
                message: `the API key in "${authorization}" is not valid`,
                extensions: { code: 'UNAUTHENTICATED', details: { header: authorization } },
              },
            ],
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    seen = [];
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => new Error('expected an error'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FledgeApiError);
    return error as FledgeApiError;
  };
  const everything = (error: FledgeApiError) =>
    JSON.stringify({ json: error.toJSON(), errors: error.errors, cause: String(error.cause), stack: error.stack });

  it('redacts a key the server echoed in a GraphQL error (message, details, errors)', async () => {
    const error = await failure(new FledgeClient({ apiUrl: url, apiKey: KEY }).request(ViewerDocument));
    expect(seen).toEqual([`Bearer ${KEY}`]); // the key did reach the server, and came back
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('the API key in "Bearer [redacted]" is not valid');
    expect(error.details).toEqual({ header: 'Bearer [redacted]' });
    expect(everything(error)).not.toContain('thisisthesecretpart');
  });

  it('redacts a key the server echoed in an upload error', async () => {
    const client = new FledgeClient({ apiUrl: url, apiKey: () => KEY });
    const error = await failure(client.upload('/uploads/u1', new Uint8Array([1, 2, 3])));
    expect(seen).toEqual([`Bearer ${KEY}`]);
    expect(error).toMatchObject({ code: 'FORBIDDEN', message: 'no upload for Bearer [redacted]' });
    expect(everything(error)).not.toContain('thisisthesecretpart');
  });

  it('refuses a key no header can carry before sending anything, without quoting it', async () => {
    const pasted = `${KEY}\n`;
    const error = await failure(new FledgeClient({ apiUrl: url, apiKey: pasted }).request(ViewerDocument));
    expect(seen).toEqual([]);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'API_KEY_MALFORMED', httpStatus: null });
    expect(everything(error)).not.toContain('thisisthesecretpart');
  });
});
