import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

import { FledgeError, invalidArgument, notFound } from '@fledge/errors';

import { type DataPlane, type InferOutcome } from '../dataplane/dataplane.js';
import { type ServingMetrics } from '../metrics/serving-metrics.js';
import { type EndpointRegistry, type Logger } from '../registry/endpoint-registry.js';
import { pathSegment, readBody, sendError, sendJson } from './http.util.js';

export interface RestServerOptions {
  maxBodyBytes: number;
  /** Time allowed for a whole request body to arrive (408 after it). */
  bodyTimeoutMs: number;
  /** Request header whose value pins a caller to one variant (sticky routing). */
  routingHeader: string;
  serverVersion: string;
}

interface RestDeps {
  dataplane: DataPlane;
  registry: EndpointRegistry;
  metrics: ServingMetrics;
  logger: Logger;
  /** False while the persisted endpoints are being restored: model routes answer 503, not 404. */
  isReady: () => boolean;
}

function restoring(): FledgeError {
  return new FledgeError('UNAVAILABLE', 'the serving runtime is restoring its endpoints; retry shortly', {
    reason: 'RESTORING',
  });
}

/**
 * Open Inference Protocol v2 over node:http (plus SageMaker's /ping and /invocations). A thin
 * transport: path → data plane call → bytes.
 */
export function createRestServer(deps: RestDeps, options: RestServerOptions): Server {
  const routingHeader = options.routingHeader.toLowerCase();

  function respondInfer(res: ServerResponse, outcome: InferOutcome): void {
    const headers: Record<string, string | number> = {
      'content-type': outcome.contentType,
      'content-length': outcome.body.length,
      'fledge-variant': outcome.variant,
      'fledge-model-version': outcome.modelVersion,
    };
    if (outcome.jsonHeaderLength !== undefined) headers['inference-header-content-length'] = outcome.jsonHeaderLength;
    res.writeHead(200, headers);
    res.end(outcome.body);
  }

  async function infer(
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: string,
    version: string | undefined,
  ): Promise<void> {
    const startedAt = performance.now();
    const header = req.headers['inference-header-content-length'];
    const headerLength = header === undefined ? undefined : typeof header === 'string' ? header : header.join(',');
    const body = await readBody(req, {
      maxBytes: options.maxBodyBytes,
      timeoutMs: options.bodyTimeoutMs,
      alignAt: headerLength === undefined ? undefined : Number(headerLength),
    });
    const key = req.headers[routingHeader];
    const outcome = await deps.dataplane.infer({
      endpoint,
      version,
      routingKey: typeof key === 'string' && key !== '' ? key : undefined,
      body,
      headerLength,
      startedAt,
    });
    respondInfer(res, outcome);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const parts = path.split('/');
    // parts[0] is '' (leading slash)
    const method = req.method;
    if (parts[1] === 'v2') {
      if (parts[2] === 'models' && parts.length >= 4) {
        if (!deps.isReady()) throw restoring();
        const endpoint = pathSegment(parts[3]);
        if (method === 'POST' && parts.length === 5 && parts[4] === 'infer')
          return infer(req, res, endpoint, undefined);
        if (method === 'POST' && parts.length === 7 && parts[4] === 'versions' && parts[6] === 'infer') {
          return infer(req, res, endpoint, pathSegment(parts[5]));
        }
        if (method === 'GET' && parts.length === 4) return sendJson(res, 200, deps.dataplane.metadata(endpoint));
        if (method === 'GET' && parts.length === 5 && parts[4] === 'ready') {
          return sendJson(res, deps.dataplane.endpointReady(endpoint) ? 200 : 404, {
            name: endpoint,
            ready: deps.dataplane.endpointReady(endpoint),
          });
        }
        if (method === 'GET' && parts.length === 6 && parts[4] === 'versions') {
          return sendJson(res, 200, deps.dataplane.metadata(endpoint, pathSegment(parts[5])));
        }
        if (method === 'GET' && parts.length === 7 && parts[4] === 'versions' && parts[6] === 'ready') {
          deps.dataplane.metadata(endpoint, pathSegment(parts[5]));
          return sendJson(res, 200, { name: endpoint, ready: true });
        }
      }
      if (method === 'GET' && path === '/v2/health/live') return sendJson(res, 200, { live: true });
      if (method === 'GET' && path === '/v2/health/ready') {
        const ready = deps.isReady();
        return sendJson(res, ready ? 200 : 503, { ready });
      }
      if (method === 'GET' && parts.length === 2) {
        return sendJson(res, 200, {
          name: 'fledge-serving',
          version: options.serverVersion,
          extensions: ['binary_tensor_data'],
        });
      }
    }
    if (method === 'GET' && path === '/metrics') {
      const text = await deps.metrics.render();
      res.writeHead(200, { 'content-type': deps.metrics.contentType });
      res.end(text);
      return;
    }
    if (method === 'GET' && path === '/ping') return sendJson(res, deps.isReady() ? 200 : 503, {});
    if (method === 'POST' && path === '/invocations') {
      if (!deps.isReady()) throw restoring();
      const endpoints = deps.registry.list();
      if (endpoints.length !== 1) {
        throw invalidArgument(`/invocations needs exactly one endpoint; ${endpoints.length} are configured`, {
          reason: 'INVOCATIONS_AMBIGUOUS',
        });
      }
      return infer(req, res, endpoints[0].name, undefined);
    }
    throw notFound(`no route for ${method} ${path}`, { reason: 'ROUTE_NOT_FOUND' });
  }

  // Node's own whole-request timeout stays a backstop behind the typed 408 of readBody.
  const requestTimeout = Math.max(300_000, 2 * options.bodyTimeoutMs);
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      const headers: Record<string, string> = {};
      if (error instanceof FledgeError && typeof error.details.variant === 'string') {
        headers['fledge-variant'] = error.details.variant;
        if (typeof error.details.modelVersion === 'string')
          headers['fledge-model-version'] = error.details.modelVersion;
      } else {
        // Refused before any variant was chosen (bad path, unknown endpoint, body too large or too slow).
        deps.metrics.refused(error);
      }
      sendError(req, res, error, deps.logger, headers);
    });
  });
  return server;
}
