import type { EntityManager } from 'typeorm';
import { DELIVERY_COLUMNS, toAttemptView, toDeliveryView } from '../../views/views.js';
import type { LiveChange } from '../projector.js';
import type { AttemptRow } from '../reducers/outcome-reducer.js';
import { recordset, type SqlRow } from '../sql.js';

/**
 * A batch's live changes read back from the committed tables: for a batch applied without returning rows (nobody
 * listened when it started) whose commit a new listener is waiting for. Rows are read as they are now.
 */
export async function readDeliveryChanges(db: EntityManager, ids: readonly string[]): Promise<LiveChange[]> {
  if (ids.length === 0) return [];
  const found = await db.query<SqlRow[]>(
    `SELECT ${DELIVERY_COLUMNS} FROM audit.deliveries d WHERE d.id = ANY($1::text[]) ORDER BY d.id`,
    [ids],
  );
  return found.map((row): LiveChange => ({ kind: 'delivery', row: toDeliveryView(row) }));
}

/** The batch's attempts, new or not (which of them were new is not known without returned rows). */
export async function readAttemptChanges(
  db: EntityManager,
  attempts: readonly AttemptRow[],
): Promise<LiveChange[]> {
  if (attempts.length === 0) return [];
  const keys = attempts.map(({ delivery_id, attempt, started_at }) => ({ delivery_id, attempt, started_at }));
  const found = await db.query<SqlRow[]>(
    `SELECT a.* FROM audit.attempts a
     JOIN jsonb_to_recordset($1::jsonb) AS k(delivery_id text, attempt integer, started_at timestamptz)
       ON a.delivery_id = k.delivery_id AND a.attempt = k.attempt AND a.started_at = k.started_at
     ORDER BY a.delivery_id, a.started_at, a.attempt`,
    [recordset(keys)],
  );
  return found.map((row): LiveChange => ({ kind: 'attempt', row: toAttemptView(row) }));
}
