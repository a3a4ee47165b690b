import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The OUTCOMES projection now inserts a pending row per delivery and deletes it when the first attempt succeeds,
 * so most rows live for milliseconds. The index on `updated_at` only serves retention, which purges settled rows:
 * made partial, it is no longer written for every pending insert.
 */
export class DeliveriesSettledIndex1733600000000 implements MigrationInterface {
  name = 'DeliveriesSettledIndex1733600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX deliveries_settled ON scheduler.deliveries (updated_at)
      WHERE status IN ('succeeded', 'failed')`);
    await q.query(`DROP INDEX scheduler.deliveries_updated`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX deliveries_updated ON scheduler.deliveries (updated_at)`);
    await q.query(`DROP INDEX scheduler.deliveries_settled`);
  }
}
