import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention: the purge requests seen on AUDIT, and the indexes the purge reads by age (it deletes in batches of
 * `RETENTION_PURGE_BATCH_SIZE`, oldest rows found through these indexes, not by scanning whole tables).
 */
export class RetentionPurges1733600000000 implements MigrationInterface {
  name = 'RetentionPurges1733600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit.purge_requests (
        id text PRIMARY KEY,
        purge_before timestamptz NOT NULL,
        requested_at timestamptz NOT NULL,
        completed_at timestamptz,
        purged jsonb
      )`);
    await q.query(
      `CREATE INDEX purge_requests_open ON audit.purge_requests (purge_before) WHERE completed_at IS NULL`,
    );
    await q.query(`CREATE INDEX attempts_started ON audit.attempts (started_at)`);
    await q.query(`CREATE INDEX deliveries_updated ON audit.deliveries (updated_at)`);
    await q.query(`CREATE INDEX events_created ON audit.events (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS audit.events_created`);
    await q.query(`DROP INDEX IF EXISTS audit.deliveries_updated`);
    await q.query(`DROP INDEX IF EXISTS audit.attempts_started`);
    await q.query(`DROP TABLE IF EXISTS audit.purge_requests`);
  }
}
