/**
 * What one fact says about a delivery row, and how two such statements combine. The same rules run twice: here,
 * to fold the facts of one batch into one row per delivery (a multi-row upsert may touch each row once), and in
 * the upsert's SQL (projectors/outcomes.sql.ts) against the stored row. The rules are commutative and idempotent,
 * so the result does not depend on the order facts arrive in (an attempt may be projected before its
 * `event.accepted`, OUTCOMES and AUDIT are separate streams) nor on duplicates.
 *
 * - status: the fact with the latest `status_at` wins, then the higher rank (accepted 0 < pending 1 < final 2),
 *   then the status name (only to be deterministic). `event.accepted` has no `status_at`: it sets the status only
 *   on a row nothing else has touched.
 * - last attempt (number, time, status code, error): the latest `started_at` wins, then the higher number.
 * - attempts: the largest count seen (the stored value is also raised to the number of attempt rows).
 * - created_at: the earliest fact time; updated_at: the latest.
 */
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export const STATUS_RANK = { accepted: 0, pending: 1, final: 2 } as const;

export interface DeliveryPatch {
  id: string;
  event_id: string;
  endpoint_id: string;
  account_id: string;
  event_type: string;
  status: DeliveryStatus;
  status_rank: number;
  status_at: string | null;
  next_attempt_at: string | null;
  attempts: number;
  last_attempt: number | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

type StatusKey = [number, number, string];

function statusKey(p: DeliveryPatch): StatusKey {
  return [p.status_at === null ? -Infinity : Date.parse(p.status_at), p.status_rank, p.status];
}

function greater(a: readonly (number | string)[], b: readonly (number | string)[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x > y;
  }
  return false;
}

/** True when `incoming`'s status replaces `current`'s (mirrors the SQL `status_wins` expression). */
export function statusWins(current: DeliveryPatch, incoming: DeliveryPatch): boolean {
  return incoming.status_at !== null && greater(statusKey(incoming), statusKey(current));
}

function attemptWins(current: DeliveryPatch, incoming: DeliveryPatch): boolean {
  if (incoming.last_attempt_at === null) return false;
  if (current.last_attempt_at === null) return true;
  return greater(
    [Date.parse(incoming.last_attempt_at), incoming.last_attempt ?? 0],
    [Date.parse(current.last_attempt_at), current.last_attempt ?? 0],
  );
}

function earliest(a: string, b: string): string {
  return Date.parse(b) < Date.parse(a) ? b : a;
}

function latest(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

export function mergeDeliveryPatches(current: DeliveryPatch, incoming: DeliveryPatch): DeliveryPatch {
  const status = statusWins(current, incoming) ? incoming : current;
  const attempt = attemptWins(current, incoming) ? incoming : current;
  return {
    id: current.id,
    event_id: current.event_id,
    endpoint_id: current.endpoint_id,
    account_id: current.account_id,
    event_type: current.event_type,
    status: status.status,
    status_rank: status.status_rank,
    status_at: status.status_at,
    next_attempt_at: status.next_attempt_at,
    attempts: Math.max(current.attempts, incoming.attempts),
    last_attempt: attempt.last_attempt,
    last_attempt_at: attempt.last_attempt_at,
    last_status_code: attempt.last_status_code,
    last_error: attempt.last_error,
    created_at: earliest(current.created_at, incoming.created_at),
    updated_at: latest(current.updated_at, incoming.updated_at),
  };
}

/** One patch per delivery id, in id order (a stable lock order for concurrent upserts). */
export function foldDeliveryPatches(patches: readonly DeliveryPatch[]): DeliveryPatch[] {
  const byId = new Map<string, DeliveryPatch>();
  for (const patch of patches) {
    const seen = byId.get(patch.id);
    byId.set(patch.id, seen ? mergeDeliveryPatches(seen, patch) : patch);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
