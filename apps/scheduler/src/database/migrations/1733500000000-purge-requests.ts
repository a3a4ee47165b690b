import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `purge_requests`: the `scheduler.retention_purge` facts the retention job has published (one per window and
 * cutoff), so a later run in the same window, after JetStream's 2-minute dedupe window, publishes nothing new.
 */
export class PurgeRequests1733500000000 implements MigrationInterface {
  name = 'PurgeRequests1733500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduler.purge_requests (
        purge_before timestamptz PRIMARY KEY,
        window_start timestamptz NOT NULL,
        fact_id text NOT NULL,
        published_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS scheduler.purge_requests`);
  }
}
