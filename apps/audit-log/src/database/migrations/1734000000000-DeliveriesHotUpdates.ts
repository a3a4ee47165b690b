import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets the projection's updates of `audit.deliveries` be HOT (heap-only tuples): a row is inserted on
 * `event.accepted` and updated by its attempt and final facts, usually in later batches. An update is HOT only when
 * no indexed column changes and the new version fits on the same page; then none of the table's indexes gets a new
 * entry. Otherwise every update inserts into all of them.
 *
 * - `deliveries_updated (updated_at)` goes: `updated_at` changes on every update, so with it no update was ever HOT.
 *   The retention purge finds old deliveries through `deliveries_created` instead (`updated_at >= created_at`
 *   always holds, so `created_at < cutoff AND updated_at < cutoff` selects the same rows).
 * - `fillfactor = 50`: inserts fill pages only half way, so that the rows of one page, updated together by the next
 *   batch, find room for their new versions on the same page (measured: at 75 only about a third of the updates
 *   fitted). Dead versions are pruned from the page by later reads, which makes room for the next updates.
 *   It applies to pages written from now on; existing pages keep their rows until they are rewritten.
 */
export class DeliveriesHotUpdates1734000000000 implements MigrationInterface {
  name = 'DeliveriesHotUpdates1734000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS audit.deliveries_updated`);
    await q.query(`ALTER TABLE audit.deliveries SET (fillfactor = 50)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit.deliveries RESET (fillfactor)`);
    await q.query(`CREATE INDEX IF NOT EXISTS deliveries_updated ON audit.deliveries (updated_at)`);
  }
}
