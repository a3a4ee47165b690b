import { FAKE_TYPES } from './catalog.js';
import type { FakeStore } from './store.js';

/** What the fake answers beyond storing: endpoint validation and the per-endpoint stats. */
export function validateEndpoint(body: Record<string, unknown>): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const url = body.url;
  if (typeof url !== 'string' || !/^https?:\/\/[^\s/]+/.test(url))
    problems.push({ field: 'url', message: 'must be an http(s) URL' });
  const events = body.events;
  if (!Array.isArray(events) || events.length === 0)
    problems.push({ field: 'events', message: 'pick at least one event type, or ["*"]' });
  else
    events.forEach((e, i) => {
      if (e !== '*' && !FAKE_TYPES.includes(String(e)))
        problems.push({ field: `events[${i}]`, message: `unknown event type ${String(e)}` });
    });
  return problems;
}

export function stats(store: FakeStore, endpointId: string) {
  const rows = store.deliveries.filter((d) => d.endpoint_id === endpointId);
  const done = rows.filter((d) => d.status !== 'pending');
  const ok = done.filter((d) => d.status === 'succeeded').length;
  const durations = rows.flatMap((d) => d.attempts.map((a) => a.duration_ms)).sort((a, b) => a - b);
  const pct = (p: number) =>
    durations.length
      ? (durations[Math.min(durations.length - 1, Math.floor(p * durations.length))] ?? null)
      : null;
  const hourStart = (t: number) => t - (t % 3_600_000);
  const nowHour = hourStart(Date.now());
  const hourly = Array.from({ length: 24 }, (_, i) => {
    const start = nowHour - (23 - i) * 3_600_000;
    const inHour = done.filter((d) => hourStart(Date.parse(d.created_at)) === start);
    return {
      hour: new Date(start).toISOString(),
      succeeded: inHour.filter((d) => d.status === 'succeeded').length,
      failed: inHour.filter((d) => d.status === 'failed').length,
    };
  });
  return {
    window: '24h',
    deliveries: rows.length,
    attempts: durations.length,
    success_rate: done.length ? ok / done.length : null,
    latency_ms: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) },
    hourly,
  };
}
