import { type ErrorCode } from './error-code.js';

export interface FledgeErrorOptions {
  /** Feature-specific reason in SCREAMING_SNAKE (e.g. `ONNX_UNREADABLE`), stable for clients. */
  reason?: string;
  /** Structured, client-safe facts about the failure (field names, row numbers, limits). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error type that business code throws. Transports map `code` at their edge; the
 * message and details are written for the client and must never contain secrets.
 */
export class FledgeError extends Error {
  readonly code: ErrorCode;
  readonly reason: string;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: FledgeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FledgeError';
    this.code = code;
    this.reason = options.reason ?? code;
    this.details = options.details ?? {};
  }

  static is(error: unknown, code?: ErrorCode): error is FledgeError {
    return error instanceof FledgeError && (code === undefined || error.code === code);
  }

  toJSON(): { code: ErrorCode; reason: string; message: string; details: Record<string, unknown> } {
    return { code: this.code, reason: this.reason, message: this.message, details: this.details };
  }
}

export const notFound = (message: string, options?: FledgeErrorOptions) =>
  new FledgeError('NOT_FOUND', message, options);
export const invalidArgument = (message: string, options?: FledgeErrorOptions) =>
  new FledgeError('INVALID_ARGUMENT', message, options);
export const conflict = (message: string, options?: FledgeErrorOptions) =>
  new FledgeError('CONFLICT', message, options);
export const integrityError = (message: string, options?: FledgeErrorOptions) =>
  new FledgeError('INTEGRITY', message, options);
