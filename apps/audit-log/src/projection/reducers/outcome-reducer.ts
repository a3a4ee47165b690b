import {
  allDefined,
  int,
  isObject,
  iso,
  nullableInt,
  nullableIso,
  nullableStr,
  str,
  stringRecord,
  type Json,
} from './decode.js';
import { STATUS_RANK, foldDeliveryPatches, type DeliveryPatch } from './delivery-patch.js';
import { toEventRow, type EventRow } from './event-row.js';

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  started_at: string;
  event_id: string;
  endpoint_id: string;
  account_id: string;
  event_type: string;
  outcome: 'succeeded' | 'failed';
  status_code: number | null;
  error: string | null;
  response_body: string | null;
  request_headers: Record<string, string>;
  duration_ms: number;
  next_attempt_at: string | null;
}

export interface RejectedRow {
  id: string;
  stream_seq: number;
  event_id: string | null;
  account_id: string | null;
  subject: string;
  raw: string;
  errors: { field: string; message: string }[];
  occurred_at: string;
}

export interface OutcomeRows {
  events: EventRow[];
  deliveries: DeliveryPatch[];
  attempts: AttemptRow[];
  rejected: RejectedRow[];
}

export function emptyOutcomeRows(): OutcomeRows {
  return { events: [], deliveries: [], attempts: [], rejected: [] };
}

/** The rows one OUTCOMES fact contributes; undefined for a malformed fact. */
export function reduceOutcome(fact: unknown, seq: number): OutcomeRows | undefined {
  if (!isObject(fact)) return undefined;
  switch (fact.type) {
    case 'event.accepted':
      return accepted(fact);
    case 'attempt.succeeded':
    case 'attempt.failed':
      return attempt(fact);
    case 'delivery.succeeded':
    case 'delivery.failed':
      return finished(fact);
    case 'event.rejected':
      return rejected(fact, seq);
    default:
      return undefined;
  }
}

/** Folds many facts' rows into one batch: one row per key, so each multi-row statement touches a row once. */
export function combineOutcomeRows(parts: readonly OutcomeRows[]): OutcomeRows {
  const events = new Map<string, EventRow>();
  const attempts = new Map<string, AttemptRow>();
  const rejected = new Map<string, RejectedRow>();
  const deliveries: DeliveryPatch[] = [];
  for (const part of parts) {
    for (const e of part.events) if (!events.has(e.id)) events.set(e.id, e);
    for (const a of part.attempts) {
      const key = `${a.delivery_id}|${a.attempt}|${a.started_at}`;
      if (!attempts.has(key)) attempts.set(key, a);
    }
    for (const r of part.rejected) if (!rejected.has(r.id)) rejected.set(r.id, r);
    deliveries.push(...part.deliveries);
  }
  return {
    events: [...events.values()],
    deliveries: foldDeliveryPatches(deliveries),
    attempts: [...attempts.values()],
    rejected: [...rejected.values()],
  };
}

function accepted(fact: Json): OutcomeRows | undefined {
  const event = toEventRow(fact.event);
  const at = iso(fact.occurred_at);
  if (!event || !at || !Array.isArray(fact.deliveries)) return undefined;
  const deliveries: DeliveryPatch[] = [];
  for (const d of fact.deliveries) {
    const id = isObject(d) ? str(d.delivery_id) : undefined;
    const endpointId = isObject(d) ? str(d.endpoint_id) : undefined;
    if (!id || !endpointId) return undefined;
    deliveries.push({
      ...basePatch(id, event.id, endpointId, event.account_id, event.type, at),
      status: 'pending',
      status_rank: STATUS_RANK.accepted,
      status_at: null,
      next_attempt_at: at,
    });
  }
  return { events: [event], deliveries, attempts: [], rejected: [] };
}

function attempt(fact: Json): OutcomeRows | undefined {
  const [deliveryId, eventId, eventType, endpointId, accountId] = [
    str(fact.delivery_id),
    str(fact.event_id),
    str(fact.event_type),
    str(fact.endpoint_id),
    str(fact.account_id),
  ];
  const number = int(fact.attempt);
  const startedAt = iso(fact.started_at);
  const duration =
    int(fact.duration_ms) ?? (typeof fact.duration_ms === 'number' ? Math.round(fact.duration_ms) : 0);
  const statusCode = nullableInt(fact.status_code);
  const error = nullableStr(fact.error);
  const body = nullableStr(fact.response_body);
  const next = nullableIso(fact.next_attempt_at);
  if (
    !deliveryId ||
    !eventId ||
    !eventType ||
    !endpointId ||
    !accountId ||
    !startedAt ||
    number === undefined
  ) {
    return undefined;
  }
  if (!allDefined(statusCode, error, body, next)) return undefined;
  const succeeded = fact.type === 'attempt.succeeded';
  const final = succeeded || next === null;
  const finishedAt = new Date(Date.parse(startedAt) + Math.max(0, duration)).toISOString();
  const row: AttemptRow = {
    delivery_id: deliveryId,
    attempt: number,
    started_at: startedAt,
    event_id: eventId,
    endpoint_id: endpointId,
    account_id: accountId,
    event_type: eventType,
    outcome: succeeded ? 'succeeded' : 'failed',
    status_code: statusCode ?? null,
    error: error ?? null,
    response_body: body ?? null,
    request_headers: stringRecord(fact.request_headers),
    duration_ms: Math.max(0, duration),
    next_attempt_at: succeeded ? null : (next ?? null),
  };
  const patch: DeliveryPatch = {
    ...basePatch(deliveryId, eventId, endpointId, accountId, eventType, startedAt),
    updated_at: finishedAt,
    status: succeeded ? 'succeeded' : final ? 'failed' : 'pending',
    status_rank: final ? STATUS_RANK.final : STATUS_RANK.pending,
    status_at: startedAt,
    next_attempt_at: row.next_attempt_at,
    attempts: 0,
    last_attempt: number,
    last_attempt_at: startedAt,
    last_status_code: row.status_code,
    last_error: row.error,
  };
  return { events: [], deliveries: [patch], attempts: [row], rejected: [] };
}

function finished(fact: Json): OutcomeRows | undefined {
  const [deliveryId, eventId, eventType, endpointId, accountId] = [
    str(fact.delivery_id),
    str(fact.event_id),
    str(fact.event_type),
    str(fact.endpoint_id),
    str(fact.account_id),
  ];
  const at = iso(fact.occurred_at);
  if (!deliveryId || !eventId || !eventType || !endpointId || !accountId || !at) return undefined;
  const patch: DeliveryPatch = {
    ...basePatch(deliveryId, eventId, endpointId, accountId, eventType, at),
    status: fact.type === 'delivery.succeeded' ? 'succeeded' : 'failed',
    status_rank: STATUS_RANK.final,
    status_at: at,
    next_attempt_at: null,
    attempts: int(fact.attempts) ?? 0,
  };
  return { events: [], deliveries: [patch], attempts: [], rejected: [] };
}

function rejected(fact: Json, seq: number): OutcomeRows | undefined {
  const at = iso(fact.occurred_at);
  const subject = typeof fact.subject === 'string' ? fact.subject : undefined;
  if (!at || subject === undefined) return undefined;
  const eventId = str(fact.event_id) ?? null;
  const errors = Array.isArray(fact.errors)
    ? fact.errors.filter(isObject).map((e) => ({ field: textOf(e.field), message: textOf(e.message) }))
    : [];
  const row: RejectedRow = {
    id: eventId ?? `seq_${seq}`,
    stream_seq: seq,
    event_id: eventId,
    account_id: str(fact.account_id) ?? null,
    subject,
    raw: typeof fact.raw === 'string' ? fact.raw : '',
    errors,
    occurred_at: at,
  };
  return { events: [], deliveries: [], attempts: [], rejected: [row] };
}

/** A patch that states identity and time only; callers set the status fields. */
export function basePatch(
  id: string,
  eventId: string,
  endpointId: string,
  accountId: string,
  eventType: string,
  at: string,
): DeliveryPatch {
  return {
    id,
    event_id: eventId,
    endpoint_id: endpointId,
    account_id: accountId,
    event_type: eventType,
    status: 'pending',
    status_rank: STATUS_RANK.accepted,
    status_at: null,
    next_attempt_at: null,
    attempts: 0,
    last_attempt: null,
    last_attempt_at: null,
    last_status_code: null,
    last_error: null,
    created_at: at,
    updated_at: at,
  };
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
