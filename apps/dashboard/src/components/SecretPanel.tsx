import { useState } from 'react';
import { ConfirmButton } from './ConfirmButton.js';
import { CopyButton } from './CopyButton.js';
import { ErrorBox } from './ErrorBox.js';
import { useSession } from '../lib/session.js';

/** The signing secret: hidden until asked for; rotation keeps the old one signing for 24 h. */
export function SecretPanel({ endpointId }: { endpointId: string }) {
  const { api } = useSession();
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const run = (action: () => Promise<{ secret: string }>, message: string | null) => {
    setBusy(true);
    setError(undefined);
    action().then(
      (result) => {
        setSecret(result.secret);
        setNotice(message);
        setBusy(false);
      },
      (err: unknown) => {
        setError(err);
        setBusy(false);
      },
    );
  };

  return (
    <div className="card" data-testid="secret-panel">
      <h3>Signing secret</h3>
      <p className="muted small">
        Verify <span className="mono">x-codeplanet-signature</span> (or the Standard Webhooks headers) with
        this secret.
      </p>
      <div className="secret-row">
        <code className="secret mono" data-testid="secret-value">
          {secret ?? 'whsec_' + '•'.repeat(32)}
        </code>
        {secret ? (
          <>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setSecret(null)}
              data-testid="hide-secret"
            >
              Hide
            </button>
            <CopyButton text={secret} testId="copy-secret" />
          </>
        ) : (
          <button
            type="button"
            className="btn btn-small"
            disabled={busy}
            onClick={() => run(() => api.getSecret(endpointId), null)}
            data-testid="reveal-secret"
          >
            Reveal
          </button>
        )}
      </div>
      <div className="actions">
        <ConfirmButton
          label="Rotate secret"
          confirmLabel="Rotate"
          question="Make a new secret? The current one keeps signing for 24 hours."
          disabled={busy}
          onConfirm={() =>
            run(
              () => api.rotateSecret(endpointId),
              'New secret made. The previous one keeps signing for 24 hours.',
            )
          }
          testId="rotate-secret"
        />
      </div>
      {notice ? (
        <div className="alert alert-info" data-testid="secret-notice">
          {notice}
        </div>
      ) : null}
      <ErrorBox error={error} testId="secret-error" />
    </div>
  );
}
