import { ApiError, messageOf } from '../api/errors.js';

/** A failed request, as the user should read it. */
export function ErrorBox({ error, testId = 'error' }: { error: unknown; testId?: string }) {
  if (error === undefined || error === null) return null;
  const code = error instanceof ApiError ? error.code : null;
  return (
    <div className="alert alert-error" role="alert" data-testid={testId}>
      {messageOf(error)}
      {code ? <span className="muted"> ({code})</span> : null}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" data-testid="loading">
      {what}…
    </p>
  );
}
