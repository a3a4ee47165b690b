/**
 * `GET /v1/endpoints/:id/stats` is only loosely pinned by the contract ("success rate, attempts, latency
 * percentiles over a window"), so the view reads it tolerantly into one shape.
 */
export interface EndpointStats {
  /** 0..1, null when nothing was delivered in the window. */
  successRate: number | null;
  deliveries: number | null;
  attempts: number | null;
  latency: { p50: number | null; p95: number | null; p99: number | null };
  hourly: { hour: string; succeeded: number; failed: number }[];
  window: string | null;
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : null;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The first of `keys` that holds a number, or an object with a numeric `total`. */
function first(source: Rec, ...keys: string[]): number | null {
  for (const key of keys) {
    const value = num(source[key]) ?? num(rec(source[key])?.total);
    if (value !== null) return value;
  }
  return null;
}

export function normalizeStats(body: unknown): EndpointStats {
  const root = rec(body) ?? {};
  const source = rec(root.data) ?? root;
  let rate = first(source, 'success_rate', 'successRate');
  if (rate !== null && rate > 1) rate = rate / 100;
  const latencySource = rec(source.latency_ms) ?? rec(source.latency) ?? source;
  const latency = {
    p50: first(latencySource, 'p50', 'p50_ms', 'latency_p50_ms'),
    p95: first(latencySource, 'p95', 'p95_ms', 'latency_p95_ms'),
    p99: first(latencySource, 'p99', 'p99_ms', 'latency_p99_ms'),
  };
  const rawHourly = source.hourly ?? source.hourly_counts ?? source.hours;
  const hourly = Array.isArray(rawHourly)
    ? rawHourly.flatMap((item) => {
        const h = rec(item);
        if (!h) return [];
        const hour = typeof h.hour === 'string' ? h.hour : typeof h.start === 'string' ? h.start : '';
        return [{ hour, succeeded: num(h.succeeded) ?? 0, failed: num(h.failed) ?? 0 }];
      })
    : [];
  const window = typeof source.window === 'string' ? source.window : null;
  return {
    successRate: rate,
    deliveries: first(source, 'deliveries', 'total', 'total_deliveries'),
    attempts: first(source, 'attempts', 'total_attempts'),
    latency,
    hourly,
    window,
  };
}
