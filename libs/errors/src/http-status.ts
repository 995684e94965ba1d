import { type ErrorCode } from './error-code.js';

const statusByCode: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  CONFLICT: 409,
  INVALID_ARGUMENT: 400,
  PAYLOAD_TOO_LARGE: 413,
  REQUEST_TIMEOUT: 408,
  FAILED_PRECONDITION: 412,
  INTEGRITY: 422,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** The one code → HTTP status table, used by every HTTP edge (API uploads, serving, webhooks). */
export function httpStatusOf(code: ErrorCode): number {
  return statusByCode[code];
}

/** The inverse for clients (the CLI) reading an HTTP error without a body code. */
export function errorCodeOfHttpStatus(status: number): ErrorCode {
  const found = (Object.entries(statusByCode) as [ErrorCode, number][]).find(([, s]) => s === status);
  if (found) return found[0];
  return status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT';
}
