import { FledgeApiError, FledgeClient, ViewerDocument } from '@fledge/client';
import { useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';

import { session } from '../api/session';

/** Sign-in with an API key: checked against the API, then kept in this tab's session storage. */
export function SignInPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = session.notice();
  const from = (location.state as { from?: string } | null)?.from ?? '/models';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const candidate = key.trim();
    if (!candidate) {
      setError('Enter an API key.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // A client of its own: the key becomes the session's only once the API accepts it.
      const { viewer } = await new FledgeClient({ apiUrl: '', apiKey: candidate }).request(ViewerDocument);
      session.signIn(candidate);
      setKey('');
      navigate(from.startsWith('/sign-in') ? '/models' : from, { replace: true, state: { welcome: viewer.name } });
    } catch (e) {
      setError(e instanceof FledgeApiError ? e.message : 'The key could not be checked.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <form className="panel" onSubmit={submit} method="post" action="" autoComplete="off">
        <h1>Sign in to Fledge</h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          aria-describedby="api-key-help"
          aria-invalid={error ? true : undefined}
        />
        <p id="api-key-help" className="muted small">
          The key is kept in this browser tab only and sent to the API with each request.
        </p>
        {error && (
          <p className="error-message" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
