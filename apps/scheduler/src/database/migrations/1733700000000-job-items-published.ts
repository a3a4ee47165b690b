import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `job_items.published_at`: a job now marks its items queued (and their deliveries pending) before it publishes
 * their tasks, so the OUTCOMES projection always finds the item when the outcome comes back; `published_at` says
 * the publish went out. Items queued before this migration were published.
 */
export class JobItemsPublished1733700000000 implements MigrationInterface {
  name = 'JobItemsPublished1733700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scheduler.job_items ADD COLUMN published_at timestamptz`);
    await q.query(`UPDATE scheduler.job_items SET published_at = queued_at WHERE queued_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scheduler.job_items DROP COLUMN IF EXISTS published_at`);
  }
}
