import { useCallback, useState, type FormEvent } from 'react';
import type { Delivery, EventTypeInfo } from '../api/types.js';
import { ErrorBox } from './ErrorBox.js';
import { StatusBadge } from './StatusBadge.js';
import { href } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import { useInterval } from '../lib/use-interval.js';

const WATCH_MS = 120_000;

interface Sent {
  eventId: string;
  type: string;
  at: number;
  delivery: Delivery | null;
  /** Stopped watching without seeing a final state. */
  gaveUp: boolean;
}

/** The seed's "Webhook Testing Tool": send the catalogue example of a type, then watch its delivery. */
export function TestingTool({
  endpointId,
  catalog,
  onDelivered,
}: {
  endpointId: string;
  catalog: EventTypeInfo[];
  onDelivered: () => void;
}) {
  const { api } = useSession();
  const [type, setType] = useState(catalog[0]?.type ?? '');
  const [sent, setSent] = useState<Sent | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    api.sendTest(endpointId, type).then(
      (result) => {
        setSent({ eventId: result.event_id, type, at: Date.now(), delivery: null, gaveUp: false });
        setBusy(false);
      },
      (err: unknown) => {
        setError(err);
        setBusy(false);
      },
    );
  };

  const final = sent?.delivery?.status === 'succeeded' || sent?.delivery?.status === 'failed';
  const watching = sent !== null && !final && !sent.gaveUp;

  const poll = useCallback(() => {
    if (!sent) return;
    if (Date.now() - sent.at > WATCH_MS) {
      setSent({ ...sent, gaveUp: true });
      return;
    }
    api.listDeliveries({ endpoint_id: endpointId }, 50).then(
      (page) => {
        const match = page.data.find((d) => d.event_id === sent.eventId) ?? null;
        if (!match) return;
        setSent((current) =>
          current && current.eventId === sent.eventId ? { ...current, delivery: match } : current,
        );
        if (match.status !== 'pending') onDelivered();
      },
      () => undefined, // keep watching; the logs page shows errors
    );
  }, [api, endpointId, sent, onDelivered]);
  useInterval(poll, watching ? 1000 : null);

  return (
    <div className="card" data-testid="testing-tool">
      <h3>Testing tool</h3>
      <p className="muted small">
        Sends the catalogue example of the type, marked <span className="mono">"test": true</span>, to this
        endpoint only.
      </p>
      <form className="inline-form" onSubmit={onSubmit}>
        <select value={type} onChange={(e) => setType(e.target.value)} data-testid="test-event-type">
          {catalog.map((item) => (
            <option key={item.type} value={item.type}>
              {item.type}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn-primary" disabled={busy || !type} data-testid="send-test">
          {busy ? 'Sending…' : 'Send test event'}
        </button>
      </form>
      <ErrorBox error={error} testId="test-error" />
      {sent ? (
        <div className="test-result" data-testid="test-result" data-event-id={sent.eventId}>
          <div>
            Sent <span className="mono">{sent.type}</span> · event{' '}
            <span className="mono" data-testid="test-event-id">
              {sent.eventId}
            </span>
          </div>
          <div className="test-status">
            {sent.delivery ? (
              <>
                <StatusBadge status={sent.delivery.status} testId="test-delivery-status" />
                <span className="muted small">
                  {sent.delivery.attempts} attempt{sent.delivery.attempts === 1 ? '' : 's'}
                  {sent.delivery.last_status_code ? ` · HTTP ${sent.delivery.last_status_code}` : ''}
                </span>
                <a href={href.delivery(sent.delivery.id)} data-testid="test-delivery-link">
                  Delivery details →
                </a>
              </>
            ) : (
              <span className="muted" data-testid="test-waiting">
                {watching ? 'Waiting for the delivery to show up in the logs…' : 'No delivery seen yet.'}
              </span>
            )}
            <a href={href.logs({ endpoint_id: endpointId })} className="small">
              Open Logs →
            </a>
          </div>
        </div>
      ) : null}
    </div>
  );
}
