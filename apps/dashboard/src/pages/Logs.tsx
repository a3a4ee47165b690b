import { useMemo } from 'react';
import type { DeliveryFilters, DeliveryStatus, Endpoint } from '../api/types.js';
import { DeliveriesTable } from '../components/DeliveriesTable.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { LogsFilters } from '../components/LogsFilters.js';
import { href, navigate } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import { useAsync } from '../lib/use-async.js';
import { useDeliveries } from '../lib/use-deliveries.js';
import { useLiveTail, type LiveMode } from '../lib/use-live-tail.js';

const STATUSES: readonly string[] = ['pending', 'succeeded', 'failed'];

export function filtersFromQuery(query: URLSearchParams): DeliveryFilters {
  const filters: DeliveryFilters = {};
  const account = query.get('account_id');
  const endpoint = query.get('endpoint_id');
  const type = query.get('event_type');
  const status = query.get('status');
  const since = query.get('since');
  const until = query.get('until');
  if (account) filters.account_id = account;
  if (endpoint) filters.endpoint_id = endpoint;
  if (type) filters.event_type = type;
  if (status && STATUSES.includes(status)) filters.status = status as DeliveryStatus;
  if (since) filters.since = since;
  if (until) filters.until = until;
  return filters;
}

function toQuery(filters: DeliveryFilters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(filters))
    if (typeof value === 'string' && value !== '') query[name] = value;
  return query;
}

function LiveIndicator({ mode }: { mode: LiveMode }) {
  const text = { connecting: 'Connecting…', stream: 'Live', polling: 'Live (refreshing every 2 s)' }[mode];
  return (
    <span className={`live live-${mode}`} data-testid="live-mode" data-mode={mode}>
      <span className="dot" aria-hidden="true" /> {text}
    </span>
  );
}

export function LogsPage({ query }: { query: URLSearchParams }) {
  const { api, token, kind } = useSession();
  const queryText = query.toString();
  const filters = useMemo(() => filtersFromQuery(new URLSearchParams(queryText)), [queryText]);
  const endpoints = useAsync(
    () => (kind === 'account' ? api.listEndpoints() : Promise.resolve(undefined)),
    [api, kind],
  );
  const catalog = useAsync(() => api.eventTypes(), [api]);
  const deliveries = useDeliveries(api, filters);
  const streamPath = api.streamPath(filters.endpoint_id ? { endpoint_id: filters.endpoint_id } : {});
  const mode = useLiveTail(streamPath, token, deliveries.refresh);
  const byId = useMemo(
    () => new Map<string, Endpoint>((endpoints.data?.data ?? []).map((e) => [e.id, e])),
    [endpoints.data],
  );

  return (
    <section>
      <div className="page-head">
        <div>
          <h2>Logs</h2>
          <p className="muted">Every delivery: ✓ succeeded, ✗ failed, ⏳ pending a retry.</p>
        </div>
        <LiveIndicator mode={mode} />
      </div>
      <LogsFilters
        filters={filters}
        endpoints={endpoints.data?.data}
        admin={kind === 'admin'}
        catalog={catalog.data}
        onChange={(next) => navigate(href.logs(toQuery(next)), { replace: true })}
      />
      <ErrorBox error={deliveries.error} />
      {deliveries.loading ? <Loading what="Loading deliveries" /> : null}
      {!deliveries.loading && deliveries.rows.length === 0 ? (
        <div className="card empty" data-testid="no-deliveries">
          <p>No deliveries match.</p>
          <p className="muted">Send a test event from an endpoint's page to see one arrive here.</p>
        </div>
      ) : null}
      {deliveries.rows.length > 0 ? <DeliveriesTable rows={deliveries.rows} endpoints={byId} /> : null}
      {deliveries.nextCursor ? (
        <div className="more">
          <button
            type="button"
            className="btn"
            disabled={deliveries.loadingMore}
            onClick={deliveries.loadMore}
            data-testid="load-more"
          >
            {deliveries.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
