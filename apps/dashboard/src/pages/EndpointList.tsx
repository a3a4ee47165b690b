import type { Endpoint } from '../api/types.js';
import type { WebhooksApi } from '../api/webhooks.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { EnabledBadge } from '../components/StatusBadge.js';
import { disabledReasonLabel, eventsLabel, percent } from '../lib/format.js';
import { href } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import { normalizeStats } from '../lib/stats.js';
import { useAsync } from '../lib/use-async.js';

/** One stats call per row: a handful of endpoints per account makes this cheap; a failure just shows a dash. */
function SuccessRate({ id }: { id: string }) {
  const { api } = useSession();
  const stats = useAsync(() => api.stats(id).then(normalizeStats), [api, id]);
  const value = stats.data ? percent(stats.data.successRate) : '—';
  return (
    <span className="mono" data-testid="endpoint-success-rate">
      {stats.loading ? '…' : value}
    </span>
  );
}

function Row({ endpoint }: { endpoint: Endpoint }) {
  return (
    <tr data-testid="endpoint-row" data-endpoint-id={endpoint.id}>
      <td>
        <a href={href.endpoint(endpoint.id)} className="mono strong" data-testid="endpoint-link">
          {endpoint.url}
        </a>
        {endpoint.description ? <div className="muted small">{endpoint.description}</div> : null}
      </td>
      <td className="small">{eventsLabel(endpoint.events)}</td>
      <td>
        <EnabledBadge
          enabled={endpoint.enabled}
          reason={endpoint.enabled ? null : disabledReasonLabel(endpoint.disabled_reason)}
        />
      </td>
      <td className="num">
        <SuccessRate id={endpoint.id} />
      </td>
      <td className="num">
        <a href={href.logs({ endpoint_id: endpoint.id })} className="small">
          Logs →
        </a>
      </td>
    </tr>
  );
}

/** The seed's "IP Allowlist": shown only when the deployment lists its egress IPs. */
function WebhookIps({ api }: { api: WebhooksApi }) {
  const ips = useAsync(() => api.webhookIps(), [api]);
  if (!ips.data || ips.data.length === 0) return null;
  return (
    <p className="muted small ips" data-testid="webhook-ips">
      Deliveries come from <span className="mono">{ips.data.join(', ')}</span>: allow these if your receiver
      filters by IP.
    </p>
  );
}

/** Endpoints belong to accounts and subscriptions-api serves them to account keys only. */
function AdminNote() {
  return (
    <div className="card empty" data-testid="admin-endpoints-note">
      <p>Signed in with the admin token.</p>
      <p className="muted">
        Endpoints are managed with an account's API key. The <a href={href.logs()}>Logs</a> show every
        account's deliveries.
      </p>
    </div>
  );
}

export function EndpointListPage() {
  const { api, kind } = useSession();
  if (kind === 'admin') {
    return (
      <section>
        <div className="page-head">
          <h2>Endpoints</h2>
        </div>
        <AdminNote />
      </section>
    );
  }
  return <AccountEndpoints api={api} />;
}

function AccountEndpoints({ api }: { api: WebhooksApi }) {
  const endpoints = useAsync(() => api.listEndpoints(), [api]);

  return (
    <section>
      <div className="page-head">
        <div>
          <h2>Endpoints</h2>
          <p className="muted">
            CodePlanet sends a signed HTTP POST to each endpoint when a subscribed event occurs.
          </p>
        </div>
        <a href={href.newEndpoint()} className="btn btn-primary" data-testid="add-endpoint">
          + Add endpoint
        </a>
      </div>
      <ErrorBox error={endpoints.error} />
      {endpoints.loading && !endpoints.data ? <Loading what="Loading endpoints" /> : null}
      {endpoints.data && endpoints.data.data.length === 0 ? (
        <div className="card empty" data-testid="no-endpoints">
          <p>No endpoints yet.</p>
          <p className="muted">
            Add one to start receiving events such as payment.completed or submission.accepted.
          </p>
        </div>
      ) : null}
      {endpoints.data && endpoints.data.data.length > 0 ? (
        <table className="table" data-testid="endpoint-table">
          <thead>
            <tr>
              <th>URL</th>
              <th>Events</th>
              <th>State</th>
              <th className="num">Success (24 h)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {endpoints.data.data.map((endpoint) => (
              <Row key={endpoint.id} endpoint={endpoint} />
            ))}
          </tbody>
        </table>
      ) : null}
      <WebhookIps api={api} />
    </section>
  );
}
