import { ErrorBox, Loading } from './ErrorBox.js';
import { ms, percent } from '../lib/format.js';
import { useSession } from '../lib/session.js';
import { normalizeStats, type EndpointStats } from '../lib/stats.js';
import { useAsync } from '../lib/use-async.js';

function Hourly({ hourly }: { hourly: EndpointStats['hourly'] }) {
  const max = Math.max(1, ...hourly.map((h) => h.succeeded + h.failed));
  return (
    <div className="bars" data-testid="stats-hourly" aria-label="Deliveries per hour">
      {hourly.map((h, index) => {
        const total = h.succeeded + h.failed;
        const height = (total / max) * 100;
        const failedShare = total ? (h.failed / total) * 100 : 0;
        return (
          <div key={h.hour || index} className="bar" title={`${h.hour}: ${h.succeeded} ✓ ${h.failed} ✗`}>
            <div className="bar-fill" style={{ height: `${height}%` }}>
              <div className="bar-failed" style={{ height: `${failedShare}%` }} />
            </div>
          </div>
        );
      })}
    </div>
  );
}

export function StatsPanel({ endpointId, refreshKey }: { endpointId: string; refreshKey: number }) {
  const { api } = useSession();
  const stats = useAsync(() => api.stats(endpointId).then(normalizeStats), [api, endpointId, refreshKey]);
  const s = stats.data;
  return (
    <div className="card" data-testid="stats-panel">
      <h3>Last 24 hours{s?.window && s.window !== '24h' ? ` (${s.window})` : ''}</h3>
      <ErrorBox error={stats.error} testId="stats-error" />
      {!s && stats.loading ? <Loading what="Loading stats" /> : null}
      {s ? (
        <>
          <div className="metrics">
            <div className="metric">
              <div className="metric-value" data-testid="stats-success-rate">
                {percent(s.successRate)}
              </div>
              <div className="metric-label">success rate</div>
            </div>
            <div className="metric">
              <div className="metric-value">{s.deliveries ?? '—'}</div>
              <div className="metric-label">deliveries</div>
            </div>
            <div className="metric">
              <div className="metric-value">{s.attempts ?? '—'}</div>
              <div className="metric-label">attempts</div>
            </div>
            <div className="metric">
              <div className="metric-value">{ms(s.latency.p50)}</div>
              <div className="metric-label">p50 latency</div>
            </div>
            <div className="metric">
              <div className="metric-value">{ms(s.latency.p95)}</div>
              <div className="metric-label">p95</div>
            </div>
            <div className="metric">
              <div className="metric-value">{ms(s.latency.p99)}</div>
              <div className="metric-label">p99</div>
            </div>
          </div>
          {s.hourly.length > 0 ? <Hourly hourly={s.hourly} /> : null}
        </>
      ) : null}
    </div>
  );
}
