import { type ErrorCode, FledgeError, isErrorCode } from '@fledge/errors';

import { type PersistedState } from '../registry/desired-state.store.js';
import { type EndpointSpec } from '../registry/endpoint-spec.js';
import { type DataPlaneSettings } from '../serving-runtime.js';

/** Messages from the authoritative serving process to one of its data-plane processes (IPC). */
export type ToMember =
  | { t: 'start'; id: number; settings: DataPlaneSettings; port: number; tag: string; state: PersistedState }
  | { t: 'prepare'; id: number; name: string; spec: EndpointSpec }
  | { t: 'decide'; id: number; commit: boolean }
  | { t: 'delete'; id: number; name: string }
  | { t: 'partials'; id: number; name: string; fromMs: number; toMs: number }
  | { t: 'metrics'; id: number }
  /** The answer to a `metrics-request`: every process's metrics merged (undefined when that failed). */
  | { t: 'metrics-text'; id: number; text?: string };

export interface WireError {
  code: ErrorCode;
  message: string;
  reason: string;
  details: Record<string, unknown>;
}

/** Messages from a data-plane process back: `prepared` (models loaded, swap held) and one reply per request. */
export type FromMember =
  | { t: 'prepared'; id: number }
  /** A scrape of `/metrics` reached this process: it asks the authoritative one for the merged text. */
  | { t: 'metrics-request'; id: number }
  | { t: 'reply'; id: number; ok: true; value: unknown }
  | { t: 'reply'; id: number; ok: false; error: WireError };

/** A failure as it crosses processes: a FledgeError keeps code, reason and message; anything else is INTERNAL. */
export function toWire(error: unknown): WireError {
  if (error instanceof FledgeError)
    return { code: error.code, message: error.message, reason: error.reason, details: error.details };
  return { code: 'INTERNAL', message: 'a data-plane process failed', reason: 'INTERNAL', details: {} };
}

export function fromWire(error: WireError): FledgeError {
  return new FledgeError(isErrorCode(error.code) ? error.code : 'INTERNAL', error.message, {
    reason: error.reason,
    details: error.details,
  });
}
