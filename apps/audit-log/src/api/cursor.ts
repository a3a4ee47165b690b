import { ApiError } from '@codeplanet/service-kit';

/**
 * Keyset cursor over (time, id), newest first. The time is kept at the database's microsecond precision (as text)
 * so a page boundary never falls between two rows of the same millisecond.
 */
export interface Cursor {
  at: string;
  id: string;
}

const TIME_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** SQL that renders a timestamptz column as the cursor's time text. */
export function cursorTime(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      TIME_TEXT.test(parsed[0]) &&
      typeof parsed[1] === 'string' &&
      parsed[1].length > 0 &&
      parsed[1].length <= 200
    ) {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw new ApiError(400, 'invalid_cursor', 'cursor is not valid; use the next_cursor of a previous page', [
    { field: 'cursor', message: 'is not a cursor returned by this API' },
  ]);
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/**
 * Rows were fetched with `limit + 1`: the extra row only says that another page exists. Rows carry `cursor_at`
 * (see cursorTime) and `id`.
 */
export function toPage<R extends { cursor_at: string; id: string }, T>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
): Page<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const more = rows.length > limit && last !== undefined;
  return {
    data: page.map(view),
    next_cursor: more ? encodeCursor({ at: last.cursor_at, id: last.id }) : null,
  };
}
