import { FledgeApiError, FledgeClient } from '@fledge/client';

import { session } from './session';

/** The console talks to the API that served it (same origin), with the key of this tab. */
export const client = new FledgeClient({ apiUrl: '', apiKey: session.key, timeoutMs: 20_000 });

/** True when the API was not reached (network down, API stopped, a gateway without it behind). */
export function isUnreachable(error: unknown): boolean {
  return (
    error instanceof FledgeApiError &&
    error.code === 'UNAVAILABLE' &&
    (error.unreachable || error.reason === 'API_BAD_RESPONSE')
  );
}
