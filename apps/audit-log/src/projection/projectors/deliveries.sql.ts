import type { EntityManager } from 'typeorm';
import type { DeliveryPatch } from '../reducers/delivery-patch.js';
import { recordset, rows, type SqlRow } from '../sql.js';

/** The SQL twin of `mergeDeliveryPatches` (reducers/delivery-patch.ts): keep the two in step. */
// Postgres evaluates every SET expression against the old row `d`; `x` (EXCLUDED) is the proposed row.
const STATUS_WINS = `(x.status_at IS NOT NULL AND (d.status_at IS NULL
  OR (x.status_at, x.status_rank, x.status) > (d.status_at, d.status_rank, d.status)))`;
const ATTEMPT_WINS = `(x.last_attempt_at IS NOT NULL AND (d.last_attempt_at IS NULL
  OR (x.last_attempt_at, x.last_attempt) > (d.last_attempt_at, COALESCE(d.last_attempt, 0))))`;

const pick = (wins: string, column: string): string =>
  `${column} = CASE WHEN ${wins} THEN x.${column} ELSE d.${column} END`;

const UPSERT = `
  INSERT INTO audit.deliveries AS d (id, event_id, endpoint_id, account_id, event_type, status, status_rank,
    status_at, next_attempt_at, attempts, last_attempt, last_attempt_at, last_status_code, last_error,
    created_at, updated_at)
  SELECT id, event_id, endpoint_id, account_id, event_type, status, status_rank, status_at, next_attempt_at,
    attempts, last_attempt, last_attempt_at, last_status_code, last_error, created_at, updated_at
  FROM jsonb_to_recordset($1::jsonb) AS r(id text, event_id text, endpoint_id text, account_id text,
    event_type text, status text, status_rank smallint, status_at timestamptz, next_attempt_at timestamptz,
    attempts integer, last_attempt integer, last_attempt_at timestamptz, last_status_code integer,
    last_error text, created_at timestamptz, updated_at timestamptz)
  ON CONFLICT (id) DO UPDATE SET
    ${[
      pick(STATUS_WINS, 'status'),
      pick(STATUS_WINS, 'status_rank'),
      pick(STATUS_WINS, 'next_attempt_at'),
      pick(STATUS_WINS, 'status_at'),
      pick(ATTEMPT_WINS, 'last_attempt'),
      pick(ATTEMPT_WINS, 'last_status_code'),
      pick(ATTEMPT_WINS, 'last_error'),
      pick(ATTEMPT_WINS, 'last_attempt_at'),
    ].join(',\n    ')},
    attempts = GREATEST(d.attempts, x.attempts),
    created_at = LEAST(d.created_at, x.created_at),
    updated_at = GREATEST(d.updated_at, x.updated_at)
  RETURNING d.*`;

/** Postgres names the proposed row EXCLUDED; the rules above read better as `x`. */
const UPSERT_SQL = UPSERT.replaceAll('x.', 'EXCLUDED.');

/** Upserts one patch per delivery (fold them first) and returns the stored rows after the change. */
export async function upsertDeliveries(
  tx: EntityManager,
  patches: readonly DeliveryPatch[],
): Promise<SqlRow[]> {
  if (patches.length === 0) return [];
  return rows(tx, UPSERT_SQL, [recordset(patches)]);
}

/** Raises `attempts` to the number of stored attempt rows (idempotent: re-counting gives the same number). */
export async function recountAttempts(tx: EntityManager, deliveryIds: readonly string[]): Promise<SqlRow[]> {
  if (deliveryIds.length === 0) return [];
  return rows(
    tx,
    `UPDATE audit.deliveries d SET attempts = c.n
     FROM (SELECT delivery_id, count(*)::int AS n FROM audit.attempts
           WHERE delivery_id = ANY($1::text[]) GROUP BY delivery_id) c
     WHERE d.id = c.delivery_id AND d.attempts < c.n
     RETURNING d.*`,
    [[...new Set(deliveryIds)].sort()],
  );
}
