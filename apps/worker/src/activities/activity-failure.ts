import { ApplicationFailure } from '@temporalio/common';
import { FledgeError } from '@fledge/errors';

/** Failures that are properties of the inputs: retrying cannot fix them. */
const BUSINESS_CODES = new Set(['INVALID_ARGUMENT', 'INTEGRITY', 'NOT_FOUND', 'FAILED_PRECONDITION', 'CONFLICT']);

/** A failure that is a property of the inputs (retrying cannot fix it). */
export function isBusinessFailure(error: unknown): error is FledgeError {
  return error instanceof FledgeError && BUSINESS_CODES.has(error.code);
}

/**
 * Business failures become non-retryable ApplicationFailures that keep the FledgeError's code,
 * reason and details; anything else (UNAVAILABLE, network, crashes) stays retryable.
 */
export function toActivityFailure(error: unknown): unknown {
  if (isBusinessFailure(error)) {
    return ApplicationFailure.create({
      message: error.message,
      type: error.reason,
      nonRetryable: true,
      details: [{ code: error.code, reason: error.reason, details: error.details }],
    });
  }
  return error;
}

/** Wraps an activity so its errors reach Temporal as toActivityFailure describes. */
export function asActivityFailure<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      throw toActivityFailure(error);
    }
  };
}
