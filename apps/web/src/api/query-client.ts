import { FledgeApiError } from '@fledge/client';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

import { isUnreachable } from './client';
import { connection } from './connection';
import { session } from './session';

function onError(error: unknown): void {
  if (error instanceof FledgeApiError && error.code === 'UNAUTHENTICATED' && session.key() !== null) {
    // A revoked or deleted key: back to sign-in, saying why (the server's own words).
    session.signOut(`Signed out: ${error.message}. Sign in with a valid API key.`);
    queryClient.clear();
  }
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      // An unreachable API is retried until it answers (the banner says so); anything the
      // server answered is final and shown in the page.
      retry: (_count, error) => isUnreachable(error),
      retryDelay: (attempt) => Math.min(1000 * 2 ** attempt, 8000),
      refetchOnWindowFocus: false,
    },
    mutations: { retry: false },
  },
});

// Every failed attempt (retries included) and every answer updates the connection banner.
queryClient.getQueryCache().subscribe((event) => {
  if (event.type !== 'updated') return;
  if (event.action.type === 'failed' || event.action.type === 'error') {
    const error = event.action.error;
    if (isUnreachable(error)) connection.unreachable((error as Error).message);
    else connection.reachable();
  } else if (event.action.type === 'success') {
    connection.reachable();
  }
});
