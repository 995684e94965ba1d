/**
 * Client-visible error codes, shared by the API (GraphQL `extensions.code`), the serving runtime
 * (HTTP status), the CLI (exit codes) and tests. Every FledgeError carries exactly one.
 */
export const ErrorCode = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  CONFLICT: 'CONFLICT',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The client did not send its whole request in time (e.g. a body shorter than its Content-Length). */
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  FAILED_PRECONDITION: 'FAILED_PRECONDITION',
  /** Stored bytes do not match their recorded digest: never served, never half-written. */
  INTEGRITY: 'INTEGRITY',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const errorCodes: readonly ErrorCode[] = Object.values(ErrorCode);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}
