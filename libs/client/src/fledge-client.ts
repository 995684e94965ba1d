import { errorCodeOfHttpStatus, FledgeError, isErrorCode, type ErrorCode } from '@fledge/errors';

import { type TypedDocumentString, type UploadFieldsFragment } from './generated/graphql.js';

/** One entry of a GraphQL response's `errors`, as the Fledge API formats it. */
export interface GraphqlErrorBody {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: unknown; reason?: unknown; details?: unknown };
}

/**
 * An operation the API refused or could not answer. `code` is the API's `extensions.code` (or
 * UNAVAILABLE when the API could not be reached), `message` is the server's own text, and
 * `requestId` finds the request in the API's logs.
 */
export class FledgeApiError extends FledgeError {
  readonly requestId: string;
  /** HTTP status of the answer; null when there was none (network failure, timeout). */
  readonly httpStatus: number | null;
  /** Every GraphQL error of the response (the first one gives code and message). */
  readonly errors: readonly GraphqlErrorBody[];

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      reason?: string;
      details?: Record<string, unknown>;
      requestId: string;
      httpStatus: number | null;
      errors?: readonly GraphqlErrorBody[];
      cause?: unknown;
    },
  ) {
    super(code, message, { reason: options.reason, details: options.details, cause: options.cause });
    this.name = 'FledgeApiError';
    this.requestId = options.requestId;
    this.httpStatus = options.httpStatus;
    this.errors = options.errors ?? [];
  }

  /** True when the API was not reached at all (nothing happened on the server). */
  get unreachable(): boolean {
    return this.httpStatus === null;
  }
}

export interface FledgeClientOptions {
  /**
   * The API's base URL (`http://127.0.0.1:4000`) or its GraphQL endpoint (`…/graphql`). In a
   * browser, `''` means the page's own origin.
   */
  apiUrl: string;
  /** The API key, or a function that returns it for each request (e.g. from session storage). */
  apiKey?: string | null | (() => string | null);
  /** Per request; default 30 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  /** Cancels the request (e.g. when a page no longer needs it); rejects with the abort reason. */
  signal?: AbortSignal;
}

/** A file streamed from disk (Node): its size is sent ahead, so the API can refuse it at once. */
export interface StreamedBody {
  stream: ReadableStream<Uint8Array>;
  sizeBytes: number;
}

type VariablesArgs<V> =
  V extends Record<string, never>
    ? [variables?: V, options?: RequestOptions]
    : [variables: V, options?: RequestOptions];

const REQUEST_ID_HEADER = 'x-request-id';

/**
 * The one GraphQL client of Fledge, for Node and browsers: runs the typed documents generated
 * from the committed schema over `fetch` and turns every failure into a FledgeApiError.
 */
export class FledgeClient {
  /** The API's base URL (`''` in a browser: the page's origin). */
  readonly baseUrl: string;
  readonly graphqlUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: FledgeClientOptions) {
    const trimmed = options.apiUrl.replace(/\/+$/, '');
    this.baseUrl = trimmed.endsWith('/graphql') ? trimmed.slice(0, -'/graphql'.length) : trimmed;
    this.graphqlUrl = `${this.baseUrl}/graphql`;
    // Bound: a browser's fetch throws "Illegal invocation" when called as a method of another object.
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Runs one operation and returns its data; rejects with a FledgeApiError. */
  request<R, V>(document: TypedDocumentString<R, V>, ...[variables, options]: VariablesArgs<V>): Promise<R> {
    return this.withoutKeyInErrors(() => this.requestOnce(document, variables, options));
  }

  /**
   * Sends a file to an upload's `url` (from createUpload) with the same key: bytes, a Blob, or a
   * stream of known size (Node; never buffered whole). Answers the upload as the API reports it.
   */
  upload<T = UploadFieldsFragment>(
    url: string,
    body: Uint8Array | Blob | StreamedBody,
    options?: RequestOptions,
  ): Promise<T> {
    return this.withoutKeyInErrors(() => this.uploadOnce<T>(url, body, options));
  }

  private currentKey(): string | null {
    const key = typeof this.options.apiKey === 'function' ? this.options.apiKey() : this.options.apiKey;
    return key || null;
  }

  /**
   * The key never leaves in an error: a server (or proxy) that echoes the Authorization header in
   * its message, or a fetch implementation that quotes a header value it refused, would otherwise
   * put it in the CLI's output, a page, or a log.
   */
  private async withoutKeyInErrors<T>(run: () => Promise<T>): Promise<T> {
    const key = this.currentKey();
    try {
      return await run();
    } catch (error) {
      throw key && error instanceof FledgeApiError ? redactKey(error, key) : error;
    }
  }

  private async requestOnce<R, V>(
    document: TypedDocumentString<R, V>,
    variables: V | undefined,
    options: RequestOptions | undefined,
  ): Promise<R> {
    const { res, requestId, text } = await this.send(
      this.graphqlUrl,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
      },
      options,
    );
    const body = parseJson(text) as { data?: R | null; errors?: GraphqlErrorBody[] } | undefined;
    if (body === undefined || typeof body !== 'object' || body === null) {
      throw badResponse(res, requestId, this.graphqlUrl);
    }
    if (body.errors?.length) throw fromGraphqlErrors(body.errors, res.status, requestId);
    if (body.data === undefined || body.data === null) throw badResponse(res, requestId, this.graphqlUrl);
    return body.data;
  }

  private async uploadOnce<T>(
    url: string,
    body: Uint8Array | Blob | StreamedBody,
    options?: RequestOptions,
  ): Promise<T> {
    // A Blob has a stream() method too: the size is what marks a StreamedBody.
    const streamed = 'sizeBytes' in body;
    const {
      res,
      requestId,
      text,
      url: sentTo,
    } = await this.send(
      /^https?:\/\//.test(url) ? url : `${this.baseUrl}${url.startsWith('/') ? '' : '/'}${url}`,
      {
        method: 'PUT',
        headers: {
          'content-type': 'application/octet-stream',
          ...(streamed ? { 'content-length': String(body.sizeBytes) } : {}),
        },
        body: (streamed ? body.stream : body) as RequestInit['body'],
        // A streamed request body must say so (Node's fetch refuses it otherwise).
        ...(streamed ? { duplex: 'half' } : {}),
      },
      options,
    );
    const parsed = parseJson(text) as
      { error?: { code?: unknown; reason?: unknown; message?: unknown; details?: unknown } } | undefined;
    if (!res.ok) {
      const error = parsed?.error;
      if (!isErrorCode(error?.code)) throw badResponse(res, requestId, sentTo);
      throw new FledgeApiError(error.code, typeof error.message === 'string' ? error.message : `HTTP ${res.status}`, {
        reason: typeof error.reason === 'string' ? error.reason : error.code,
        details: asRecord(error.details),
        requestId,
        httpStatus: res.status,
      });
    }
    if (parsed === undefined || typeof parsed !== 'object' || parsed === null) {
      throw badResponse(res, requestId, sentTo);
    }
    return parsed as T;
  }

  private async send(
    url: string,
    init: { method: string; headers: Record<string, string>; body?: RequestInit['body']; duplex?: 'half' },
    options: RequestOptions = {},
  ): Promise<{ res: Response; requestId: string; text: string; url: string }> {
    const sentId = newRequestId();
    const key = this.currentKey();
    const headers: Record<string, string> = { ...init.headers, [REQUEST_ID_HEADER]: sentId };
    if (key && !/^[\x21-\x7e]+$/.test(key)) {
      throw new FledgeApiError(
        'INVALID_ARGUMENT',
        'the API key has characters an HTTP header cannot carry (spaces, line breaks or non-ASCII): check how it was copied',
        { reason: 'API_KEY_MALFORMED', requestId: sentId, httpStatus: null },
      );
    }
    if (key) headers.authorization = `Bearer ${key}`;
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(url, { ...init, headers, signal } as RequestInit);
      text = await res.text();
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      const where = this.baseUrl || 'this origin';
      if (timeout.aborted) {
        throw new FledgeApiError('UNAVAILABLE', `the Fledge API at ${where} did not answer within ${timeoutMs} ms`, {
          reason: 'API_TIMEOUT',
          requestId: sentId,
          httpStatus: null,
          cause: error,
        });
      }
      const cause = causeCode(error);
      throw new FledgeApiError('UNAVAILABLE', `cannot reach the Fledge API at ${where}${cause ? ` (${cause})` : ''}`, {
        reason: 'API_UNREACHABLE',
        details: cause ? { cause } : {},
        requestId: sentId,
        httpStatus: null,
        cause: error,
      });
    }
    return { res, requestId: res.headers.get(REQUEST_ID_HEADER) ?? sentId, text, url };
  }
}

const REDACTED = '[redacted]';

/** The same error with every occurrence of `key` in its message, details, errors and cause replaced. */
function redactKey(error: FledgeApiError, key: string): FledgeApiError {
  const scrub = <T>(value: T): T => {
    if (value === undefined) return value;
    const json = JSON.stringify(value);
    const escaped = JSON.stringify(key).slice(1, -1);
    return json.includes(escaped) ? (JSON.parse(json.split(escaped).join(REDACTED)) as T) : value;
  };
  const cause = error.cause instanceof Error ? error.cause.message : error.cause;
  const leaks = [error.message, error.details, error.errors, cause].some((part) => scrub(part) !== part);
  if (!leaks) return error;
  return new FledgeApiError(error.code, error.message.split(key).join(REDACTED), {
    reason: error.reason,
    details: scrub(error.details),
    requestId: error.requestId,
    httpStatus: error.httpStatus,
    errors: scrub(error.errors),
    cause: typeof cause === 'string' ? new Error(cause.split(key).join(REDACTED)) : undefined,
  });
}

function fromGraphqlErrors(errors: GraphqlErrorBody[], status: number, requestId: string): FledgeApiError {
  const [first] = errors;
  const ext = first.extensions ?? {};
  const code: ErrorCode = isErrorCode(ext.code) ? ext.code : status >= 400 ? errorCodeOfHttpStatus(status) : 'INTERNAL';
  return new FledgeApiError(code, first.message || 'the API reported an error', {
    reason: typeof ext.reason === 'string' ? ext.reason : code,
    details: asRecord(ext.details),
    requestId,
    httpStatus: status,
    errors,
  });
}

/**
 * An answer that is not the API's own (no GraphQL or error body): a proxy, or a URL that is not a
 * Fledge API. A gateway saying the upstream is down means the API was not reached; a refusal
 * stays a refusal; anything else is unexpected (never NOT_FOUND: a wrong URL's 404 page says
 * nothing about the thing asked for).
 */
function badResponse(res: Response, requestId: string, url: string): FledgeApiError {
  const base = { reason: 'API_BAD_RESPONSE', requestId, httpStatus: res.status, details: { status: res.status } };
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    return new FledgeApiError('UNAVAILABLE', `the Fledge API at ${url} is unavailable (HTTP ${res.status})`, base);
  }
  if (res.status === 401 || res.status === 403) {
    const code = errorCodeOfHttpStatus(res.status);
    return new FledgeApiError(code, `the server at ${url} refused the request (HTTP ${res.status})`, base);
  }
  return new FledgeApiError(
    'INTERNAL',
    `unexpected answer from ${url} (HTTP ${res.status}); is this a Fledge API?`,
    base,
  );
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

/** The network error's code (ECONNREFUSED, …) where Node gives one; browsers give none. */
function causeCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') return unreachableCodes.has(code) ? code : undefined;
    // Happy-eyeballs connects fail with an AggregateError of one error per address.
    current = Array.isArray(errors) && errors.length > 0 ? errors[0] : cause;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A request id the API accepts and echoes (a plain token); works where crypto.randomUUID does not (plain http). */
function newRequestId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12));
  return `fledge-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
