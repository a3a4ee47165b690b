import type { EntityManager } from 'typeorm';
import { rowsOf } from '@codeplanet/service-kit';

export type SqlRow = Record<string, unknown>;

/**
 * The escape `\u0000` (a NUL) when its backslash follows an even number of backslashes, which are escaped
 * backslashes and are kept. After an odd number, that backslash is the second half of an escaped backslash and
 * "u0000" is plain text.
 */
const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;

/**
 * A whole batch as one `jsonb` (or `json`) parameter, read back with `jsonb_to_recordset`: one statement per table
 * and batch whatever the batch size (no 65k-parameter limit). NUL characters cannot be stored in text or jsonb, so
 * they are dropped (they can appear in a receiver's response body).
 *
 * JSON.stringify writes a NUL as the escape `\u0000`, so they are dropped from the output text: a replacer
 * function would make stringify several times slower on every batch, for a character that is almost never there.
 */
export function recordset(rows: readonly unknown[]): string {
  const json = JSON.stringify(rows);
  return json.includes('\\u0000') ? json.replace(ESCAPED_NUL, '$1') : json;
}

/** Runs a statement and returns its rows (TypeORM answers UPDATE/DELETE with `[rows, count]`). */
export async function rows(tx: EntityManager, sql: string, params: unknown[] = []): Promise<SqlRow[]> {
  return rowsOf<SqlRow>(await tx.query(sql, params));
}
