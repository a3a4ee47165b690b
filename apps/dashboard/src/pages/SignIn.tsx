import { useState, type FormEvent } from 'react';
import { ApiClient } from '../api/client.js';
import { ApiError, messageOf } from '../api/errors.js';
import { useSessionState } from '../lib/session.js';

/** Checks the token against the API before keeping it: only a 401 means the token itself is wrong. */
async function checkToken(token: string): Promise<string | null> {
  try {
    await new ApiClient(token).get('/v1/endpoints?limit=1');
    return null;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return 'That key or token was not accepted.';
    if (error instanceof ApiError) return null; // e.g. 403 for the admin token on account routes: still signed in
    return `Could not reach the API: ${messageOf(error)}`;
  }
}

export function SignIn() {
  const { signIn } = useSessionState();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) {
      setError('Paste an API key (cpk_…) or the admin token.');
      return;
    }
    setBusy(true);
    setError(null);
    void checkToken(value).then((problem) => {
      setBusy(false);
      if (problem) setError(problem);
      else signIn(value);
    });
  };

  return (
    <div className="signin">
      <form className="card signin-card" onSubmit={onSubmit} data-testid="sign-in-form">
        <h1>
          <span className="logo" aria-hidden="true">
            ◉
          </span>{' '}
          CodePlanet Webhooks
        </h1>
        <p className="muted">Settings → Developers → Webhooks</p>
        <label htmlFor="token">API key or admin token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          placeholder="cpk_…"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          data-testid="token-input"
        />
        <p className="hint">Kept in this tab only (sessionStorage) and sent as a Bearer token.</p>
        {error ? (
          <div className="alert alert-error" role="alert" data-testid="sign-in-error">
            {error}
          </div>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="sign-in">
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
