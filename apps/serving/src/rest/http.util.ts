import { type IncomingMessage, type ServerResponse } from 'node:http';

import { FledgeError, httpStatusOf } from '@fledge/errors';

import { encodeError } from '../protocol/oip.codec.js';
import { type Logger } from '../registry/endpoint-registry.js';

/** Reads a request body up to `limit` bytes; over the limit → PAYLOAD_TOO_LARGE (413). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

function tooLarge(limit: number): FledgeError {
  return new FledgeError('PAYLOAD_TOO_LARGE', `the request body exceeds the ${limit}-byte limit`, {
    reason: 'BODY_TOO_LARGE',
    details: { limit },
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': payload.length, ...headers });
  res.end(payload);
}

/**
 * The one error → HTTP mapping of the serving runtime: FledgeErrors keep their message (written
 * for clients); anything else is logged and answered as a generic 500.
 */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  logger: Logger,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  let status = 500;
  let body: Buffer;
  if (error instanceof FledgeError) {
    status = httpStatusOf(error.code);
    body = encodeError(error.message, { code: error.code, reason: error.reason });
    if (status >= 500) logger.warn({ method: req.method, url: req.url, status, reason: error.reason }, error.message);
  } else {
    logger.error({ method: req.method, url: req.url, err: error }, 'unexpected error');
    body = encodeError('internal error', { code: 'INTERNAL', reason: 'INTERNAL' });
  }
  const extra: Record<string, string> = { ...headers };
  if (status === 413) {
    // The rest of an oversized body is not read: end the connection after answering.
    extra.connection = 'close';
    req.resume();
    setTimeout(() => req.socket.destroy(), 5000).unref();
  }
  if (status === 503) extra['retry-after'] = '1';
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, ...extra });
  res.end(body);
}
