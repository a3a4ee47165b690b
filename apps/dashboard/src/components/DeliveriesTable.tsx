import type { Delivery, Endpoint } from '../api/types.js';
import { StatusBadge } from './StatusBadge.js';
import { dateTime, shortDateTime } from '../lib/format.js';
import { href } from '../lib/router.js';

function lastResult(d: Delivery): string {
  if (d.last_status_code) return `HTTP ${d.last_status_code}`;
  if (d.attempts === 0) return '—';
  return d.last_error ?? 'no response';
}

export function DeliveriesTable({ rows, endpoints }: { rows: Delivery[]; endpoints: Map<string, Endpoint> }) {
  return (
    <table className="table" data-testid="deliveries-table">
      <thead>
        <tr>
          <th>Status</th>
          <th>Event</th>
          <th>Endpoint</th>
          <th className="num">Attempts</th>
          <th>Last result</th>
          <th>Next attempt</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr
            key={d.id}
            data-testid="delivery-row"
            data-delivery-id={d.id}
            data-event-id={d.event_id}
            data-status={d.status}
          >
            <td>
              <a href={href.delivery(d.id)} className="plain">
                <StatusBadge status={d.status} />
              </a>
            </td>
            <td>
              <a href={href.delivery(d.id)} className="mono strong" data-testid="delivery-link">
                {d.event_type}
              </a>
              <div className="mono muted small">{d.event_id}</div>
            </td>
            <td className="mono small ellipsis" title={endpoints.get(d.endpoint_id)?.url ?? d.endpoint_id}>
              {endpoints.get(d.endpoint_id)?.url ?? d.endpoint_id}
            </td>
            <td className="num">{d.attempts}</td>
            <td className="small">{lastResult(d)}</td>
            <td className="small nowrap">
              {d.status === 'pending' ? shortDateTime(d.next_attempt_at) : '—'}
            </td>
            <td className="small nowrap" title={dateTime(d.created_at)}>
              {shortDateTime(d.created_at)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
