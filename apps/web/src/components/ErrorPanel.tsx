import { FledgeApiError } from '@fledge/client';
import { Link } from 'react-router';

/** An error as the server phrased it, with its code and request id; never a stack trace. */
export function ErrorPanel({
  error,
  title = 'The request failed',
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  const api = error instanceof FledgeApiError ? error : null;
  const message = api
    ? api.message
    : 'The console hit an unexpected problem. Reload the page; if it persists, report it.';
  return (
    <div className="panel panel-error" role="alert">
      <h2>{title}</h2>
      <p className="error-message">{message}</p>
      {api && (
        <p className="muted small">
          {api.code}
          {api.reason !== api.code ? ` · ${api.reason}` : ''} · request id <code>{api.requestId}</code>
        </p>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function isNotFound(error: unknown): boolean {
  return error instanceof FledgeApiError && error.code === 'NOT_FOUND';
}

/** A clear page for something that does not exist (any more). */
export function NotFound({ what, detail }: { what: string; detail?: string }) {
  return (
    <section className="panel not-found" aria-labelledby="not-found-title">
      <h1 id="not-found-title">{what} not found</h1>
      <p>{detail ?? 'It does not exist, or it no longer exists.'}</p>
      <p>
        <Link to="/models">Back to the models</Link>
      </p>
    </section>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}
