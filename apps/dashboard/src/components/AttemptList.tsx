import type { Attempt } from '../api/types.js';
import { dateTime, ms } from '../lib/format.js';

function outcome(a: Attempt): { ok: boolean; text: string } {
  const ok = a.status
    ? a.status === 'succeeded'
    : a.status_code !== null && a.status_code >= 200 && a.status_code < 300 && !a.error;
  if (a.status_code !== null)
    return {
      ok,
      text: `HTTP ${a.status_code}${a.error && a.error !== 'http_status' ? ` · ${a.error}` : ''}`,
    };
  return { ok: false, text: a.error ?? 'no response' };
}

export function AttemptList({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0) {
    return (
      <p className="muted" data-testid="no-attempts">
        No attempt yet.
      </p>
    );
  }
  // Newest first by time: a manual retry starts a fresh ladder whose attempt numbers begin again at 1.
  const ordered = [...attempts].sort(
    (a, b) => b.started_at.localeCompare(a.started_at) || b.attempt - a.attempt,
  );
  return (
    <ol className="attempts" data-testid="attempt-list">
      {ordered.map((a, index) => {
        const result = outcome(a);
        return (
          <li
            key={`${a.attempt}-${a.started_at}-${index}`}
            className="attempt"
            data-testid="attempt"
            data-ok={result.ok}
          >
            <div className="attempt-head">
              <span className={result.ok ? 'status status-succeeded' : 'status status-failed'}>
                {result.ok ? '✓' : '✗'} Attempt {a.attempt}
              </span>
              <span className="mono" data-testid="attempt-result">
                {result.text}
              </span>
              <span className="muted small">{ms(a.duration_ms)}</span>
              <span className="muted small">{dateTime(a.started_at)}</span>
            </div>
            <details>
              <summary>Response body</summary>
              <pre className="code" data-testid="attempt-body">
                {a.response_body ?? '(none)'}
              </pre>
            </details>
          </li>
        );
      })}
    </ol>
  );
}
