/**
 * Counts what audit-log has projected, straight from its schema in the stack's database (paging 100k rows through
 * the REST API would measure the API, not the projection). The deliveries table is found by its columns, so a
 * rename inside audit-log does not break the benchmark.
 */
import pg from 'pg';

export class AuditCounter {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly table: string,
  ) {}

  static async connect(databaseUrl: string, timeoutMs = 30_000): Promise<AuditCounter> {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await pool.query<{ table_name: string }>(
        `select table_name from information_schema.columns
          where table_schema = 'audit' and column_name in ('endpoint_id', 'event_id', 'status')
          group by table_name having count(*) = 3
          order by (table_name like '%deliver%') desc, table_name limit 1`,
      );
      const table = found.rows[0]?.table_name;
      if (table) return new AuditCounter(pool, `audit."${table}"`);
      if (Date.now() > deadline) {
        await pool.end();
        throw new Error('no deliveries table (endpoint_id, event_id, status) in schema audit');
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  get tableName(): string {
    return this.table;
  }

  /** Delivery rows of these endpoints in this status. */
  async count(endpointIds: string[], status = 'succeeded'): Promise<number> {
    const result = await this.pool.query<{ n: string }>(
      `select count(*) as n from ${this.table} where endpoint_id = any($1) and status = $2`,
      [endpointIds, status],
    );
    return Number(result.rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
