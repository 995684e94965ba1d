import { useQueryClient } from '@tanstack/react-query';

import { useConnection } from '../api/connection';

/** Shown while the API cannot be reached; requests keep retrying by themselves. */
export function ConnectionBanner() {
  const { unreachable } = useConnection();
  const queryClient = useQueryClient();
  if (!unreachable) return null;
  return (
    <div className="banner banner-error" role="alert">
      <strong>The Fledge API cannot be reached.</strong> <span>{unreachable.message}. Retrying automatically…</span>{' '}
      <button type="button" onClick={() => void queryClient.refetchQueries({ type: 'active' })}>
        Retry now
      </button>
    </div>
  );
}
