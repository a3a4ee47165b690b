/** Header names, lowercase (HTTP header names are case-insensitive). */
export const HEADERS = {
  codeplanetTimestamp: 'x-codeplanet-timestamp',
  codeplanetSignature: 'x-codeplanet-signature',
  webhookId: 'webhook-id',
  webhookTimestamp: 'webhook-timestamp',
  webhookSignature: 'webhook-signature',
} as const;

/** A Fetch `Headers`, Node's `IncomingHttpHeaders`, or any plain object of header names to values. */
export type HeaderSource =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

function isHeadersLike(source: HeaderSource): source is { get(name: string): string | null } {
  return typeof (source as { get?: unknown }).get === 'function';
}

/** Case-insensitive lookup; repeated headers are joined with a space, as signature lists are. */
export function readHeader(source: HeaderSource, name: string): string | undefined {
  const wanted = name.toLowerCase();
  if (isHeadersLike(source)) return source.get(wanted) ?? undefined;
  const record = source;
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== wanted) continue;
    const value = record[key];
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : value.join(' ');
  }
  return undefined;
}
