import type { EntityManager } from 'typeorm';

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a statement as a named prepared statement on the manager's connection (pg prepares it once per connection),
 * so Postgres parses it once instead of once per batch: the projection's statements are long, and with small
 * batches parsing them was a good part of their cost. The app's connections use `plan_cache_mode =
 * force_custom_plan` (database.module.ts), so every execution is still planned for its actual parameters. Outside a
 * transaction it is a plain query.
 */
export async function preparedQuery<T>(
  manager: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const runner = manager.queryRunner;
  if (!runner || runner.isReleased) return manager.query<T[]>(text, values);
  const client = (await runner.connect()) as PgClient;
  const result = await client.query({ name, text, values });
  return result.rows as T[];
}
