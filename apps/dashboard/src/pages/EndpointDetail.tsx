import { useCallback, useState } from 'react';
import type { Endpoint } from '../api/types.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { SecretPanel } from '../components/SecretPanel.js';
import { StatsPanel } from '../components/StatsPanel.js';
import { EnabledBadge } from '../components/StatusBadge.js';
import { TestingTool } from '../components/TestingTool.js';
import { dateTime, disabledReasonLabel, eventsLabel } from '../lib/format.js';
import { href, navigate } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import { useAsync } from '../lib/use-async.js';

function Actions({ endpoint, onChange }: { endpoint: Endpoint; onChange: (next: Endpoint) => void }) {
  const { api } = useSession();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const toggle = () => {
    setBusy(true);
    setError(undefined);
    api.setEnabled(endpoint.id, !endpoint.enabled).then(
      (next) => {
        setBusy(false);
        onChange(next);
      },
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  };
  const remove = () => {
    setBusy(true);
    api.deleteEndpoint(endpoint.id).then(
      () => navigate(href.endpoints()),
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  };

  return (
    <div className="actions">
      <button type="button" className="btn" disabled={busy} onClick={toggle} data-testid="toggle-enabled">
        {endpoint.enabled ? 'Disable' : 'Enable'}
      </button>
      <ConfirmButton
        label="Delete"
        confirmLabel="Delete endpoint"
        question="Delete this endpoint? Deliveries to it stop at once."
        onConfirm={remove}
        danger
        disabled={busy}
        testId="delete-endpoint"
      />
      <ErrorBox error={error} testId="action-error" />
    </div>
  );
}

export function EndpointDetailPage({ id }: { id: string }) {
  const { api } = useSession();
  const endpoint = useAsync(() => api.getEndpoint(id), [api, id]);
  const catalog = useAsync(() => api.eventTypes(), [api]);
  const [statsKey, setStatsKey] = useState(0);
  const refreshStats = useCallback(() => setStatsKey((k) => k + 1), []);
  const e = endpoint.data;

  return (
    <section>
      <p>
        <a href={href.endpoints()} className="small">
          ← Endpoints
        </a>
      </p>
      <ErrorBox error={endpoint.error} />
      {!e && endpoint.loading ? <Loading what="Loading endpoint" /> : null}
      {e ? (
        <>
          <div className="page-head">
            <div>
              <h2 className="mono break" data-testid="endpoint-url-heading">
                {e.url}
              </h2>
              <p className="muted">{e.description ?? 'No description'}</p>
            </div>
            <Actions endpoint={e} onChange={endpoint.set} />
          </div>
          <div className="card facts">
            <dl>
              <dt>State</dt>
              <dd>
                <EnabledBadge
                  enabled={e.enabled}
                  reason={e.enabled ? null : disabledReasonLabel(e.disabled_reason)}
                />
              </dd>
              <dt>Events</dt>
              <dd data-testid="endpoint-events">{eventsLabel(e.events)}</dd>
              <dt>Endpoint ID</dt>
              <dd className="mono" data-testid="endpoint-id">
                {e.id}
              </dd>
              <dt>Created</dt>
              <dd>{dateTime(e.created_at)}</dd>
              <dt>Logs</dt>
              <dd>
                <a href={href.logs({ endpoint_id: e.id })} data-testid="endpoint-logs-link">
                  Deliveries to this endpoint →
                </a>
              </dd>
            </dl>
          </div>
          <div className="grid-2">
            <SecretPanel endpointId={e.id} />
            {catalog.data ? (
              <TestingTool endpointId={e.id} catalog={catalog.data} onDelivered={refreshStats} />
            ) : (
              <div className="card">
                <ErrorBox error={catalog.error} />
                {catalog.loading ? <Loading what="Loading event types" /> : null}
              </div>
            )}
          </div>
          <StatsPanel endpointId={e.id} refreshKey={statsKey} />
        </>
      ) : null}
    </section>
  );
}
