import { isObject, iso, nullableStr, str } from './decode.js';
import { STATUS_RANK, type DeliveryPatch } from './delivery-patch.js';
import { basePatch } from './outcome-reducer.js';

/** The audit action this app writes for `POST /v1/deliveries/:id/retry`; it also puts the delivery back to pending. */
export const RETRY_ACTION = 'delivery.retry';

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
  return { trail: [row], deliveries: retry ? [retry] : [] };
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
