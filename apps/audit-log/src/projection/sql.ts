import type { EntityManager } from 'typeorm';

export type SqlRow = Record<string, unknown>;

/**
 * A whole batch as one `jsonb` parameter, read back with `jsonb_to_recordset`: one statement per table and batch
 * whatever the batch size (no 65k-parameter limit). NUL characters cannot be stored in text or jsonb, so they are
 * dropped (they can appear in a receiver's response body).
 */
export function recordset(rows: readonly unknown[]): string {
  return JSON.stringify(rows, (_key, value: unknown) =>
    typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '') : value,
  );
}

/** Runs a statement and returns its rows (TypeORM answers UPDATE/DELETE with `[rows, count]`). */
export async function rows(tx: EntityManager, sql: string, params: unknown[] = []): Promise<SqlRow[]> {
  const result: unknown = await tx.query(sql, params);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as SqlRow[];
  }
  return Array.isArray(result) ? (result as SqlRow[]) : [];
}
