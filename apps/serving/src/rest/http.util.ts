import { type IncomingMessage, type ServerResponse } from 'node:http';

import { FledgeError, httpStatusOf, invalidArgument } from '@fledge/errors';

import { encodeError } from '@fledge/inference';
import { type Logger } from '../registry/endpoint-registry.js';

export interface BodyLimits {
  maxBytes: number;
  /** The whole body must arrive within this time of the call (a stalled or short body → 408). */
  timeoutMs: number;
  /**
   * Where binary data starts in the body, when known (the binary data extension's JSON header
   * length): the body is placed so that this offset is 8-byte aligned in its buffer, and tensors
   * can be viewed in place, whatever their datatype.
   */
  alignAt?: number;
}

/** Bodies declared up to this size get their buffer before they arrive (most inference requests). */
const PREALLOCATE_MAX = 1 << 20;

/**
 * Reads a request body into a buffer of its own (so it can be handed to another thread whole):
 * over the size limit → PAYLOAD_TOO_LARGE (413); not complete in time (a body shorter than its
 * Content-Length, a stalled client) → REQUEST_TIMEOUT (408); the client going away mid-body →
 * REQUEST_TIMEOUT too (nobody reads that answer). With a Content-Length (up to 1 MiB) the
 * bytes are copied straight to their place as they arrive.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const { maxBytes, timeoutMs } = limits;
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  const pad = Number.isSafeInteger(limits.alignAt) && limits.alignAt! >= 0 ? (8 - (limits.alignAt! % 8)) % 8 : 0;
  // A known length up to PREALLOCATE_MAX: one buffer up front. Larger or chunked: chunks, laid
  // out once complete, so memory follows the bytes that arrived, not what a client declared.
  const whole =
    Number.isSafeInteger(declared) && declared >= 0 && declared <= PREALLOCATE_MAX
      ? Buffer.from(new ArrayBuffer(pad + declared), pad)
      : undefined;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (error: FledgeError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      if (error) {
        chunks.length = 0;
        reject(error);
      } else if (whole) {
        resolve(size === whole.length ? whole : whole.subarray(0, size));
      } else {
        const out = Buffer.from(new ArrayBuffer(pad + size), pad);
        let at = 0;
        for (const c of chunks) {
          out.set(c, at);
          at += c.length;
        }
        resolve(out);
      }
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > maxBytes) return settle(tooLarge(maxBytes));
      if (whole) {
        if (size + chunk.length > whole.length) return settle(tooLarge(maxBytes));
        whole.set(chunk, size);
      } else chunks.push(chunk);
      size += chunk.length;
    };
    const timer = setTimeout(
      () =>
        settle(
          new FledgeError('REQUEST_TIMEOUT', `the request body did not arrive within ${timeoutMs} ms`, {
            reason: 'BODY_TIMEOUT',
            details: { timeoutMs, received: size },
          }),
        ),
      timeoutMs,
    );
    req.on('data', onData);
    req.once('end', () => settle(null));
    req.once('error', () =>
      settle(
        new FledgeError('REQUEST_TIMEOUT', 'the client closed the connection mid-body', { reason: 'BODY_ABORTED' }),
      ),
    );
  });
}

/** A percent-encoded path segment; bad encoding is the client's fault (400), never a URIError. */
export function pathSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalidArgument(`the path segment ${JSON.stringify(raw.slice(0, 200))} is not valid percent-encoding`, {
      reason: 'PATH_INVALID',
    });
  }
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
  if (status === 413 || status === 408) {
    // The rest of the body (oversized, or never coming) is not read: end the connection after
    // answering, and cut it if the client keeps sending.
    extra.connection = 'close';
    req.resume();
    setTimeout(() => req.socket.destroy(), 5000).unref();
  }
  if (status === 503) extra['retry-after'] = '1';
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, ...extra });
  res.end(body);
}
