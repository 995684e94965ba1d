import { type ErrorCode } from './error-code.js';
import { FledgeError } from './fledge-error.js';

/**
 * An error as it crosses a thread boundary (structured cloning keeps no class): a FledgeError's
 * code, message, reason and details; anything else is an internal fault, never shown to a client.
 */
export interface WireError {
  code: ErrorCode;
  message: string;
  reason?: string;
  details?: Record<string, unknown>;
  /** Not a FledgeError: an internal fault. */
  internal?: boolean;
}

export function toWireError(error: unknown): WireError {
  if (error instanceof FledgeError) {
    return { code: error.code, message: error.message, reason: error.reason, details: error.details };
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), internal: true };
}

/** The error a thread reported, as the receiving thread throws it (internal faults stay plain errors). */
export function errorOfWire(error: WireError): Error {
  if (error.internal) return new Error(error.message);
  return new FledgeError(error.code, error.message, { reason: error.reason, details: error.details });
}
