import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { FledgeError, invalidArgument, notFound } from '@fledge/errors';
import { requestIdFor } from '@fledge/logger';

import { type Logger } from '../registry/endpoint-registry.js';
import { pathSegment, readBody, sendError, sendJson } from '../rest/http.util.js';
import { type EndpointControlService } from './endpoint-control.service.js';

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '', 'utf8');
  const expected = Buffer.from(token, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The admin API (own port, bearer token): a thin transport over EndpointControlService. */
export function createAdminServer(
  control: EndpointControlService,
  options: { token: string; maxBodyBytes?: number; bodyTimeoutMs: number },
  logger: Logger,
): Server {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://admin');
    } catch {
      throw invalidArgument('the request target is not a valid path', { reason: 'PATH_INVALID' });
    }
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'GET' && url.pathname === '/admin/health') return sendJson(res, 200, { live: true });
    if (!authorized(req, options.token)) {
      throw new FledgeError('UNAUTHENTICATED', 'a valid bearer token is required', { reason: 'ADMIN_TOKEN_INVALID' });
    }
    if (parts[0] !== 'admin')
      throw notFound(`no route for ${req.method} ${url.pathname}`, { reason: 'ROUTE_NOT_FOUND' });
    if (req.method === 'GET' && parts.length === 2 && parts[1] === 'runtime')
      return sendJson(res, 200, control.runtime());
    if (parts[1] === 'endpoints') {
      if (parts.length === 2 && req.method === 'GET') return sendJson(res, 200, { endpoints: control.list() });
      const name = parts[2] === undefined ? undefined : pathSegment(parts[2]);
      if (name !== undefined && parts.length === 3) {
        if (req.method === 'GET') return sendJson(res, 200, control.describe(name));
        if (req.method === 'PUT') {
          const raw = await readBody(req, {
            maxBytes: options.maxBodyBytes ?? 1 << 20,
            timeoutMs: options.bodyTimeoutMs,
          });
          let body: unknown;
          try {
            body = JSON.parse(raw.toString('utf8'));
          } catch {
            throw invalidArgument('the body is not valid JSON', { reason: 'MALFORMED_JSON' });
          }
          const result = await control.apply(name, body);
          return sendJson(res, 200, { ...result, endpointState: control.describe(name) });
        }
        if (req.method === 'DELETE') {
          await control.delete(name);
          return sendJson(res, 200, { endpoint: name, deleted: true });
        }
      }
      if (name !== undefined && parts.length === 4 && parts[3] === 'stats' && req.method === 'GET') {
        const windowSeconds = url.searchParams.get('windowSeconds');
        const since = url.searchParams.get('since');
        return sendJson(
          res,
          200,
          await control.stats(name, {
            windowSeconds: windowSeconds === null ? undefined : Number(windowSeconds),
            since: since ?? undefined,
          }),
        );
      }
    }
    throw notFound(`no route for ${req.method} ${url.pathname}`, { reason: 'ROUTE_NOT_FOUND' });
  }

  return createServer((req, res) => {
    const requestId = requestIdFor(req, res);
    if (req.method !== 'GET') {
      res.once('finish', () =>
        logger.info({ requestId, method: req.method, url: req.url, status: res.statusCode }, 'admin call'),
      );
    }
    handle(req, res).catch((error: unknown) => sendError(req, res, error, logger));
  });
}
