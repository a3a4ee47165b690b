import { isObject, iso, nullableStr, str } from './decode.js';
import { STATUS_RANK, type DeliveryPatch } from './delivery-patch.js';
import { basePatch } from './outcome-reducer.js';

/** The audit action this app writes for `POST /v1/deliveries/:id/retry`; it also puts the delivery back to pending. */
export const RETRY_ACTION = 'delivery.retry';
/** The scheduler's daily request to purge what is older than `details.purge_before` (see retention/). */
export const RETENTION_PURGE_ACTION = 'scheduler.retention_purge';

/** A purge to run once the batch that saw the request has committed. */
export interface PurgeRequestRow {
  id: string;
  purge_before: string;
  requested_at: string;
}

export interface AuditRow {
  id: string;
  actor: string;
  action: string;
  account_id: string | null;
  target_kind: string;
  target_id: string;
  request_id: string | null;
  occurred_at: string;
  details: Record<string, unknown> | null;
}

export interface AuditRows {
  trail: AuditRow[];
  deliveries: DeliveryPatch[];
  purges: PurgeRequestRow[];
}

export function reduceAuditFact(fact: unknown): AuditRows | undefined {
  if (!isObject(fact) || !isObject(fact.target)) return undefined;
  const [id, actor, action, at] = [str(fact.id), str(fact.actor), str(fact.action), iso(fact.occurred_at)];
  const [kind, targetId] = [str(fact.target.kind), str(fact.target.id)];
  if (!id || !actor || !action || !at || !kind || !targetId) return undefined;
  const row: AuditRow = {
    id,
    actor,
    action,
    account_id: nullableStr(fact.account_id) ?? null,
    target_kind: kind,
    target_id: targetId,
    request_id: nullableStr(fact.request_id) ?? null,
    occurred_at: at,
    details: isObject(fact.details) ? fact.details : null,
  };
  const retry = action === RETRY_ACTION ? retryPatch(row) : undefined;
  const purge = action === RETENTION_PURGE_ACTION ? purgeRequest(row) : undefined;
  return { trail: [row], deliveries: retry ? [retry] : [], purges: purge ? [purge] : [] };
}

/**
 * Admin-wide only (`audit._admin`). The cutoff comes from the fact, never from this app's clock or env, so a
 * replay asks for exactly the same purge. A cutoff after the request itself would purge what is newer than the
 * request: it is clamped to the request's time. A request without a readable cutoff stays in the trail only.
 */
function purgeRequest(row: AuditRow): PurgeRequestRow | undefined {
  const before = iso(row.details?.purge_before);
  if (row.account_id !== null || !before) return undefined;
  const purgeBefore = before < row.occurred_at ? before : row.occurred_at;
  return { id: row.id, purge_before: purgeBefore, requested_at: row.occurred_at };
}

/** A manual retry starts a fresh ladder: the delivery is pending again from the retry's time on. */
function retryPatch(row: AuditRow): DeliveryPatch | undefined {
  const d = row.details ?? {};
  const [eventId, endpointId, eventType] = [str(d.event_id), str(d.endpoint_id), str(d.event_type)];
  if (row.target_kind !== 'delivery' || !row.account_id || !eventId || !endpointId || !eventType)
    return undefined;
  return {
    ...basePatch(row.target_id, eventId, endpointId, row.account_id, eventType, row.occurred_at),
    status: 'pending',
    status_rank: STATUS_RANK.pending,
    status_at: row.occurred_at,
    next_attempt_at: row.occurred_at,
  };
}
