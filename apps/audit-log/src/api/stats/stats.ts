/**
 * The arithmetic of `GET /v1/endpoints/:id/stats`, kept apart from SQL so it can be tested on its own.
 * Percentiles are nearest-rank (Postgres `percentile_disc`): always a latency that was actually measured.
 */
export const HOUR_MS = 3_600_000;
const UNIT_MS = { m: 60_000, h: HOUR_MS, d: 24 * HOUR_MS } as const;
export const DEFAULT_WINDOW = '24h';
export const MIN_WINDOW_MS = UNIT_MS.m;
export const MAX_WINDOW_MS = 30 * UNIT_MS.d;

/** `30m` / `6h` / `7d` → ms, or undefined when outside 1 minute … 30 days. */
export function parseWindow(value: string = DEFAULT_WINDOW): number | undefined {
  const match = /^(\d{1,5})(m|h|d)$/.exec(value);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms >= MIN_WINDOW_MS && ms <= MAX_WINDOW_MS ? ms : undefined;
}

export interface Latency {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** `percentile_disc(ARRAY[.5,.95,.99])` comes back as an array (or null when there were no rows). */
export function latencyFrom(values: unknown): Latency {
  const list = Array.isArray(values) ? values : [];
  const at = (i: number): number | null => {
    const v: unknown = list[i];
    return typeof v === 'number' ? v : null;
  };
  return { p50: at(0), p95: at(1), p99: at(2) };
}

/** Share of successes among finished items, rounded to 4 decimals; null when nothing finished. */
export function rate(succeeded: number, failed: number): number | null {
  const total = succeeded + failed;
  return total === 0 ? null : Math.round((succeeded / total) * 10_000) / 10_000;
}

export interface HourCount {
  hour: string;
  attempts: number;
  succeeded: number;
  failed: number;
}

/** The 24 hours ending with the current one, oldest first. */
export function hourlyRangeStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - 23 * HOUR_MS);
}

/** Every one of the 24 hours, zero-filled where no attempt happened. */
export function hourlyBuckets(
  now: Date,
  rows: ReadonlyArray<{ hour: Date | string; succeeded: number; failed: number }>,
): HourCount[] {
  const start = hourlyRangeStart(now).getTime();
  const byHour = new Map(rows.map((r) => [new Date(r.hour).getTime(), r]));
  return Array.from({ length: 24 }, (_, i) => {
    const t = start + i * HOUR_MS;
    const row = byHour.get(t);
    const succeeded = Number(row?.succeeded ?? 0);
    const failed = Number(row?.failed ?? 0);
    return { hour: new Date(t).toISOString(), attempts: succeeded + failed, succeeded, failed };
  });
}
