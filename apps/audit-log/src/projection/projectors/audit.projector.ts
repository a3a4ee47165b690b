import type { EntityManager } from 'typeorm';
import { toDeliveryView } from '../../views/views.js';
import type { ApplyOptions, ApplyResult, LiveChange, RawFact, StreamProjector } from '../projector.js';
import { reduceAuditFact, type AuditRow, type PurgeRequestRow } from '../reducers/audit-reducer.js';
import { foldDeliveryPatches, type DeliveryPatch } from '../reducers/delivery-patch.js';
import { recordset } from '../sql.js';
import { upsertDeliveries } from './deliveries.sql.js';
import { readDeliveryChanges } from './live-reads.js';

/**
 * AUDIT → audit_trail; a `delivery.retry` fact also puts its delivery back to pending; a
 * `scheduler.retention_purge` fact becomes a pending row of `purge_requests`, carried out after the commit.
 */
export class AuditProjector implements StreamProjector {
  readonly stream = 'audit' as const;

  async apply(tx: EntityManager, facts: readonly RawFact[], options: ApplyOptions): Promise<ApplyResult> {
    const trail = new Map<string, AuditRow>();
    const patches: DeliveryPatch[] = [];
    const purges = new Map<string, PurgeRequestRow>();
    let invalid = 0;
    for (const fact of facts) {
      const part = reduceAuditFact(fact.value);
      if (!part) {
        invalid++;
        continue;
      }
      for (const row of part.trail) if (!trail.has(row.id)) trail.set(row.id, row);
      patches.push(...part.deliveries);
      for (const purge of part.purges) purges.set(purge.id, purge);
    }
    if (trail.size > 0) {
      await tx.query(
        `INSERT INTO audit.audit_trail (id, actor, action, account_id, target_kind, target_id, request_id,
           occurred_at, details)
         SELECT id, actor, action, account_id, target_kind, target_id, request_id, occurred_at, details
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, actor text, action text, account_id text,
           target_kind text, target_id text, request_id text, occurred_at timestamptz, details jsonb)
         ON CONFLICT (id) DO NOTHING`,
        [recordset([...trail.values()])],
      );
    }
    await recordPurgeRequests(tx, [...purges.values()]);
    const deliveries = foldDeliveryPatches(patches);
    const upserted = await upsertDeliveries(tx, deliveries, options.liveChanges);
    const changes = upserted.map((row): LiveChange => ({ kind: 'delivery', row: toDeliveryView(row) }));
    const result = { changes, invalid, purgeRequested: purges.size > 0 };
    if (options.liveChanges) return result;
    const ids = deliveries.map((d) => d.id);
    return { ...result, readChanges: (db) => readDeliveryChanges(db, ids) };
  }
}

/**
 * Only the request is written here, inside the batch; the purge itself runs after the commit. A request seen
 * again (the same fact published twice, or a rebuild) is re-armed: running it again deletes nothing new.
 */
async function recordPurgeRequests(tx: EntityManager, purges: readonly PurgeRequestRow[]): Promise<void> {
  if (purges.length === 0) return;
  await tx.query(
    `INSERT INTO audit.purge_requests (id, purge_before, requested_at)
     SELECT id, purge_before, requested_at FROM jsonb_to_recordset($1::jsonb)
       AS r(id text, purge_before timestamptz, requested_at timestamptz)
     ON CONFLICT (id) DO UPDATE SET completed_at = NULL, purged = NULL`,
    [recordset(purges)],
  );
}
