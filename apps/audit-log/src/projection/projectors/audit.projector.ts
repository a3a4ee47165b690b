import type { EntityManager } from 'typeorm';
import { toDeliveryView } from '../../views/views.js';
import type { ApplyResult, LiveChange, RawFact, StreamProjector } from '../projector.js';
import { reduceAuditFact, type AuditRow } from '../reducers/audit-reducer.js';
import { foldDeliveryPatches, type DeliveryPatch } from '../reducers/delivery-patch.js';
import { recordset } from '../sql.js';
import { upsertDeliveries } from './deliveries.sql.js';

/** AUDIT → audit_trail; a `delivery.retry` fact also puts its delivery back to pending. */
export class AuditProjector implements StreamProjector {
  readonly stream = 'audit' as const;

  async apply(tx: EntityManager, facts: readonly RawFact[]): Promise<ApplyResult> {
    const trail = new Map<string, AuditRow>();
    const patches: DeliveryPatch[] = [];
    let invalid = 0;
    for (const fact of facts) {
      const part = reduceAuditFact(fact.value);
      if (!part) {
        invalid++;
        continue;
      }
      for (const row of part.trail) if (!trail.has(row.id)) trail.set(row.id, row);
      patches.push(...part.deliveries);
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
    const upserted = await upsertDeliveries(tx, foldDeliveryPatches(patches));
    const changes = upserted.map((row): LiveChange => ({ kind: 'delivery', row: toDeliveryView(row) }));
    return { changes, invalid };
  }
}
