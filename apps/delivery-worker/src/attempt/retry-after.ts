/** Statuses whose `Retry-After` we honour (CONTRACT.md §2). */
const HONOURED_STATUSES = new Set([429, 503]);

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date. Null when absent, unparsable, in the
 * past, or on a status where it means nothing to us.
 */
export function retryAfterMs(
  status: number | null,
  header: string | string[] | undefined,
  now: number,
): number | null {
  if (status === null || !HONOURED_STATUSES.has(status) || header === undefined) return null;
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) {
    const seconds = Number(value);
    return seconds > 0 ? seconds * 1000 : null;
  }
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  const delta = date - now;
  return delta > 0 ? delta : null;
}
