import { useState } from 'react';
import type { DeliveryDetail } from '../api/types.js';
import { AttemptList } from '../components/AttemptList.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { HeaderTable, Json } from '../components/Json.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { dateTime } from '../lib/format.js';
import { envelopeOf } from '../lib/event.js';
import { href } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import { useAsync } from '../lib/use-async.js';
import { useInterval } from '../lib/use-interval.js';

const hasHeaders = (h: Record<string, string> | undefined): h is Record<string, string> =>
  !!h && Object.keys(h).length > 0;

/**
 * The headers the receiver got: those of the latest attempt that made a request (an attempt stopped by the
 * worker's circuit breaker sent none), else the delivery's own.
 */
function requestHeaders(d: DeliveryDetail): Record<string, string> | null {
  const latest = [...d.attempts]
    .sort((a, b) => b.started_at.localeCompare(a.started_at))
    .find((a) => hasHeaders(a.request_headers));
  return latest?.request_headers ?? (hasHeaders(d.request_headers) ? d.request_headers : null);
}

function RetryButton({ delivery, onQueued }: { delivery: DeliveryDetail; onQueued: () => void }) {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [queued, setQueued] = useState(false);
  const onClick = () => {
    setBusy(true);
    setError(undefined);
    api.retryDelivery(delivery.id).then(
      () => {
        setBusy(false);
        setQueued(true);
        onQueued();
      },
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  };
  return (
    <div className="retry">
      <button
        type="button"
        className="btn btn-primary"
        disabled={busy || delivery.status === 'pending'}
        title={
          delivery.status === 'pending'
            ? 'Already waiting for its next attempt'
            : 'Start a fresh retry ladder'
        }
        onClick={onClick}
        data-testid="retry-delivery"
      >
        {busy ? 'Retrying…' : 'Retry'}
      </button>
      {queued ? (
        <span className="muted small" data-testid="retry-queued">
          Retry queued — this page updates as attempts arrive.
        </span>
      ) : null}
      <ErrorBox error={error} testId="retry-error" />
    </div>
  );
}

export function DeliveryDetailPage({ id }: { id: string }) {
  const { api } = useSession();
  const delivery = useAsync(() => api.getDelivery(id), [api, id]);
  // audit-log puts the event in the delivery detail; otherwise it is read from GET /v1/events/:id.
  const embedded = delivery.data?.event !== undefined;
  const eventId = delivery.data?.event_id;
  const event = useAsync(
    () => (eventId && !embedded ? api.getEvent(eventId) : Promise.resolve(undefined)),
    [api, eventId, embedded],
  );
  const payload = delivery.data?.event ?? event.data;
  const [watchUntil, setWatchUntil] = useState(0);
  const d = delivery.data;
  // Keep reading while attempts are still to come, and for a while after a retry was queued.
  const live = d?.status === 'pending' || watchUntil > 0;
  useInterval(
    () => {
      if (watchUntil > 0 && Date.now() > watchUntil) setWatchUntil(0);
      delivery.reload();
    },
    live ? 1000 : null,
  );

  const headers = d ? requestHeaders(d) : null;
  return (
    <section>
      <p>
        <a href={href.logs()} className="small">
          ← Logs
        </a>
      </p>
      <ErrorBox error={delivery.error} />
      {!d && delivery.loading ? <Loading what="Loading delivery" /> : null}
      {d ? (
        <>
          <div className="page-head">
            <div>
              <h2>
                <span className="mono">{d.event_type}</span>{' '}
                <StatusBadge status={d.status} testId="delivery-status" />
              </h2>
              <p className="muted mono small">{d.id}</p>
            </div>
            <RetryButton delivery={d} onQueued={() => setWatchUntil(Date.now() + 60_000)} />
          </div>
          <div className="card facts">
            <dl>
              <dt>Event</dt>
              <dd className="mono">{d.event_id}</dd>
              <dt>Endpoint</dt>
              <dd>
                <a href={href.endpoint(d.endpoint_id)} className="mono">
                  {d.endpoint_id}
                </a>
              </dd>
              <dt>Attempts</dt>
              <dd data-testid="delivery-attempts">{d.attempts.length}</dd>
              <dt>Last status</dt>
              <dd>{d.last_status_code ?? '—'}</dd>
              <dt>Next attempt</dt>
              <dd>{d.status === 'pending' ? dateTime(d.next_attempt_at) : '—'}</dd>
              <dt>Created</dt>
              <dd>{dateTime(d.created_at)}</dd>
            </dl>
          </div>
          <div className="card">
            <h3>Attempts</h3>
            <AttemptList attempts={d.attempts} />
          </div>
          <div className="grid-2">
            <div className="card">
              <h3>Payload</h3>
              <ErrorBox error={event.error} testId="payload-error" />
              {payload !== undefined ? <Json value={envelopeOf(payload)} testId="payload" /> : null}
              {event.loading && payload === undefined ? <Loading what="Loading payload" /> : null}
            </div>
            <div className="card">
              <h3>Request headers</h3>
              {headers ? (
                <HeaderTable headers={headers} testId="request-headers" />
              ) : (
                <p className="muted">Not recorded yet.</p>
              )}
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}
