/**
 * Cursor pagination (CONTRACT §4): `?limit=&cursor=` → `{data, next_cursor}`. Lists are ordered by id (ULIDs sort
 * by creation time), so the cursor is simply "after this id", wrapped so clients treat it as opaque.
 */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  limit: number;
  /** Return rows with an id greater than this; null for the first page. */
  after: string | null;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

const CURSOR_VERSION = 'v1';
const ID_PATTERN = /^[a-z]{2,8}_[0-9A-Za-z]{10,40}$/;

export function encodeCursor(lastId: string): string {
  return Buffer.from(`${CURSOR_VERSION}:${lastId}`, 'utf8').toString('base64url');
}

/** The id a cursor points after, or null when the cursor was not made by `encodeCursor`. */
export function decodeCursor(cursor: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [version, id, ...rest] = text.split(':');
  if (version !== CURSOR_VERSION || id === undefined || rest.length > 0 || !ID_PATTERN.test(id)) return null;
  return id;
}

/** Repositories fetch `limit + 1` rows; the extra row only tells whether another page exists. */
export function toPage<T extends { id: string }, R>(
  rows: T[],
  limit: number,
  present: (row: T) => R,
): Page<R> {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return {
    data: data.map(present),
    next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}
