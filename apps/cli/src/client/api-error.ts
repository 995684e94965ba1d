import { errorCodeOfHttpStatus, FledgeError, isErrorCode, type ErrorCode } from '@fledge/errors';

export interface GraphqlErrorPayload {
  message?: unknown;
  path?: unknown;
  extensions?: { code?: unknown; reason?: unknown; details?: unknown };
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** The first GraphQL error as a FledgeError; unknown codes count as INTERNAL. */
export function errorFromGraphql(errors: readonly GraphqlErrorPayload[]): FledgeError {
  const [first] = errors;
  const extensions = record(first?.extensions);
  const code: ErrorCode = isErrorCode(extensions.code) ? extensions.code : 'INTERNAL';
  const message =
    typeof first?.message === 'string' && first.message !== '' ? first.message : 'the API reported an error';
  const details = record(extensions.details);
  if (errors.length > 1) details.otherErrors = errors.slice(1).map((e) => e.message);
  return new FledgeError(code, message, {
    reason: typeof extensions.reason === 'string' ? extensions.reason : code,
    details,
  });
}

/** An error answer of a REST endpoint (uploads): `{ error: { code, reason, message, details } }`. */
export function errorFromHttp(status: number, body: unknown, url: string): FledgeError {
  const error = record(record(body).error);
  if (isErrorCode(error.code)) {
    return new FledgeError(error.code, typeof error.message === 'string' ? error.message : `HTTP ${status}`, {
      reason: typeof error.reason === 'string' ? error.reason : error.code,
      details: record(error.details),
    });
  }
  return unexpectedResponse(status, url);
}

/**
 * A response that is not the API's own (no GraphQL body, no error body): a proxy or a wrong URL.
 * Gateways that say the upstream is down count as unavailable; anything else is unexpected.
 */
export function unexpectedResponse(status: number, url: string): FledgeError {
  if (status === 502 || status === 503 || status === 504) {
    return new FledgeError('UNAVAILABLE', `the Fledge API at ${url} is unavailable (HTTP ${status})`, {
      reason: 'API_UNAVAILABLE',
      details: { status },
    });
  }
  const code = errorCodeOfHttpStatus(status);
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') {
    return new FledgeError(code, `the server at ${url} refused the request (HTTP ${status})`, { details: { status } });
  }
  return new FledgeError('INTERNAL', `unexpected answer from ${url} (HTTP ${status}); is this a Fledge API?`, {
    reason: 'UNEXPECTED_RESPONSE',
    details: { status },
  });
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

function causeCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') return code;
    // Happy-eyeballs connects fail with an AggregateError of one error per address.
    current = Array.isArray(errors) && errors.length > 0 ? errors[0] : cause;
  }
  return undefined;
}

/** A failed fetch: the API could not be reached at all, or did not answer in time. */
export function errorFromNetwork(error: unknown, url: string): FledgeError {
  if (error instanceof FledgeError) return error;
  const name = (error as { name?: unknown })?.name;
  if (name === 'TimeoutError') {
    return new FledgeError('UNAVAILABLE', `the Fledge API at ${url} did not answer in time`, {
      reason: 'API_TIMEOUT',
      cause: error,
    });
  }
  const code = causeCode(error);
  if (
    (code !== undefined && unreachableCodes.has(code)) ||
    ((error as Error)?.name === 'TypeError' && (error as Error).message === 'fetch failed')
  ) {
    return new FledgeError('UNAVAILABLE', `cannot reach the Fledge API at ${url}${code ? ` (${code})` : ''}`, {
      reason: 'API_UNREACHABLE',
      details: code ? { cause: code } : {},
      cause: error,
    });
  }
  return new FledgeError('INTERNAL', `request to ${url} failed: ${(error as Error)?.message ?? String(error)}`, {
    cause: error,
  });
}
