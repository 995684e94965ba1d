import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { createHttpLogger, createLogger, REQUEST_ID_HEADER } from './index.js';

const bearer = 'fk_live_0123456789abcdefghijkl';

describe(createHttpLogger.name, () => {
  const lines: string[] = [];
  const waiters = new Set<{ match: (line: string) => boolean; resolve: () => void }>();
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    const logger = createLogger({
      level: 'info',
      name: 'serving',
      destination: {
        write: (l: string) => {
          lines.push(l);
          for (const w of [...waiters]) if (w.match(l)) w.resolve();
        },
      },
    });
    const httpLogger = createHttpLogger(logger, { ignore: (req) => req.url === '/v2/health/live' });
    server = createServer((req, res) => {
      httpLogger(req, res);
      req.log.info({ step: 'routing' }, 'routing request');
      // A component's child logger keeps the request binding.
      req.log.child({ component: 'dataplane' }).info('predicting');
      // The answer comes in a later turn of the loop, as a model's would.
      setImmediate(() => {
        req.log.warn('slow model');
        res.statusCode = req.url === '/fail' ? 503 : 200;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function request(path: string, headers: Record<string, string> = {}) {
    const before = lines.length;
    // Lines are written in order: once a logged marker request has completed, every line of this
    // request is written (its own completion line, or none for an ignored path).
    const marked = new Promise<void>((resolve) => {
      const waiter = {
        match: (line: string) => line.includes('"requestId":"mark"') && line.includes('request completed'),
        resolve: () => {
          waiters.delete(waiter);
          resolve();
        },
      };
      waiters.add(waiter);
    });
    const response = await fetch(baseUrl + path, { headers });
    await response.text();
    await (await fetch(baseUrl + '/mark', { headers: { [REQUEST_ID_HEADER]: 'mark' } })).text();
    await marked;
    const own = lines.slice(before).filter((line) => !line.includes('"requestId":"mark"'));
    const records = own.map((line) => JSON.parse(line) as Record<string, any>);
    return { response, records, raw: own.join('') };
  }

  it('honours an incoming x-request-id on every line and echoes it', async () => {
    const { response, records, raw } = await request('/v2/models/m/infer', {
      [REQUEST_ID_HEADER]: 'req-abc.123',
      authorization: `Bearer ${bearer}`,
    });
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe('req-abc.123');
    expect(records.map((r) => r.msg)).toEqual(['routing request', 'predicting', 'slow model', 'request completed']);
    for (const record of records) expect(record.requestId).toBe('req-abc.123');
    const completed = records.at(-1)!;
    expect(completed).toMatchObject({ level: 'info', res: { statusCode: 200 }, responseTime: expect.any(Number) });
    expect(completed.req.headers.authorization).toBe('[redacted]');
    expect(raw).not.toContain(bearer);
  });

  it('generates an id when none (or an unsafe one) is sent', async () => {
    const cases: Record<string, string>[] = [
      {},
      { [REQUEST_ID_HEADER]: 'has spaces and "quotes"' },
      { [REQUEST_ID_HEADER]: 'x'.repeat(129) },
    ];
    for (const headers of cases) {
      const { response, records } = await request('/fail', headers);
      const id = response.headers.get(REQUEST_ID_HEADER)!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(records).toHaveLength(4);
      for (const record of records) expect(record.requestId).toBe(id);
      expect(records.at(-1)).toMatchObject({ level: 'error', res: { statusCode: 503 } });
    }
  });

  it('skips the completion line of ignored routes but keeps the id on the others', async () => {
    const { response, records } = await request('/v2/health/live', { [REQUEST_ID_HEADER]: 'probe-1' });
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe('probe-1');
    expect(records.map((r) => r.msg)).toEqual(['routing request', 'predicting', 'slow model']);
    for (const record of records) expect(record.requestId).toBe('probe-1');
  });
});
