import type { EntityManager } from 'typeorm';

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a statement as a named prepared statement on the transaction's connection: pg prepares it once per
 * connection, so Postgres parses (and, with a generic plan, plans) it once instead of on every call. For the
 * statements a projection runs on every batch, where parsing and planning long statements was a large share of a
 * small batch's cost. `name` must belong to this `text` alone.
 *
 * Use with `customPlans: true` in `dataSourceOptions`, so every execution is still planned for the tables as they
 * are now, and only for statements whose result columns are listed (no `*`): a cached statement fails with "cached
 * plan must not change result type" after a migration changes what `*` stands for. Outside a transaction (no query
 * runner of its own) it is a plain query.
 */
export async function preparedQuery<T = Record<string, unknown>>(
  manager: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const runner = manager.queryRunner;
  if (!runner || runner.isReleased) return rowsOf<T>(await manager.query(text, values));
  // TypeORM's query() takes no statement name; in a transaction its runner holds one pooled pg client.
  const client = (await runner.connect()) as PgClient;
  const result = await client.query({ name, text, values });
  return result.rows as T[];
}

/** TypeORM answers UPDATE/DELETE … RETURNING with `[rows, count]`, anything else with the rows. */
export function rowsOf<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return Array.isArray(result) ? (result as T[]) : [];
}
