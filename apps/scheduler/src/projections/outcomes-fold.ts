import type { OutcomeFact } from '@codeplanet/event-schemas';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface DeliveryRow {
  id: string;
  endpointId: string;
  accountId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: Date;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  finalAt: Date | null;
  sourceStream: string | null;
  sourceSeq: number | null;
}

export interface HealthRow {
  endpointId: string;
  accountId: string;
  firstFailureAt: Date | null;
  lastFailureAt: Date | null;
  lastSuccessAt: Date | null;
}

export interface FinalState {
  deliveryId: string;
  status: 'succeeded' | 'failed';
  at: Date;
}

/** Rows loaded for a batch, changed in place by `foldOutcome`, then written back (only the changed ones). */
export interface FoldState {
  deliveries: Map<string, DeliveryRow>;
  health: Map<string, HealthRow>;
  changedDeliveries: Set<string>;
  changedHealth: Set<string>;
  /**
   * Deliveries that succeeded at the first attempt of a ladder nothing had tried yet: no job needs them any more
   * (only pending and failed deliveries are selected), so no row is kept. See `isUntried`.
   */
  droppedDeliveries: Set<string>;
  finals: FinalState[];
  /** Whether an earlier batch dropped this delivery: a late success fact for it then writes nothing. */
  droppedBefore: (deliveryId: string) => boolean;
}

/** Attempts that never reached the receiver because the endpoint was switched off: not the receiver's failure. */
const NOT_RECEIVER_FAILURES = new Set(['endpoint_disabled', 'endpoint_deleted']);

export function emptyFold(droppedBefore: (deliveryId: string) => boolean = () => false): FoldState {
  return {
    deliveries: new Map(),
    health: new Map(),
    changedDeliveries: new Set(),
    changedHealth: new Set(),
    droppedDeliveries: new Set(),
    finals: [],
    droppedBefore,
  };
}

/** The delivery and endpoint ids a fact touches, so the batch can load their rows first. */
export function idsOf(fact: OutcomeFact): { deliveries: string[]; endpoints: string[] } {
  switch (fact.type) {
    case 'event.accepted':
      return { deliveries: fact.deliveries.map((d) => d.delivery_id), endpoints: [] };
    case 'event.rejected':
      return { deliveries: [], endpoints: [] };
    case 'attempt.succeeded':
    case 'attempt.failed':
      return { deliveries: [fact.delivery_id], endpoints: [fact.endpoint_id] };
    case 'delivery.succeeded':
    case 'delivery.failed':
      return { deliveries: [fact.delivery_id], endpoints: [] };
  }
}

/**
 * Applies one OUTCOMES fact (in stream order). A delivery is `pending` until a final fact; any new attempt (a
 * recover, a manual retry) makes it pending again. The endpoint's streak starts at its first failed attempt after
 * its last success and ends with the next success.
 */
export function foldOutcome(state: FoldState, fact: OutcomeFact, seq: number): void {
  switch (fact.type) {
    case 'event.rejected':
      return;
    case 'event.accepted': {
      const at = new Date(fact.occurred_at);
      for (const { delivery_id, endpoint_id } of fact.deliveries) {
        // Dropped means its body location was known already: this is a duplicate of the fact that gave it.
        if (isDropped(state, delivery_id)) continue;
        const row = state.deliveries.get(delivery_id);
        if (row) {
          if (row.sourceSeq !== null) continue;
          row.sourceStream = 'outcomes';
          row.sourceSeq = seq;
        } else {
          state.deliveries.set(delivery_id, {
            ...newRow(delivery_id, endpoint_id, fact.event.account_id, fact.event.id, fact.event.type, at),
            nextAttemptAt: at,
            sourceStream: 'outcomes',
            sourceSeq: seq,
          });
        }
        state.changedDeliveries.add(delivery_id);
      }
      return;
    }
    case 'attempt.succeeded': {
      const at = new Date(fact.started_at);
      recordSuccess(state, fact.endpoint_id, fact.account_id, at);
      if (isDropped(state, fact.delivery_id)) return;
      const row = deliveryFor(state, fact, at);
      const dropped = isUntried(row) && fact.attempt === 1;
      row.attempts = fact.attempt;
      row.lastAttemptAt = at;
      settle(state, row, 'succeeded', at);
      if (dropped) state.droppedDeliveries.add(row.id);
      return;
    }
    case 'attempt.failed': {
      const at = new Date(fact.started_at);
      if (!NOT_RECEIVER_FAILURES.has(fact.error ?? ''))
        recordFailure(state, fact.endpoint_id, fact.account_id, at);
      const row = deliveryFor(state, fact, at);
      row.attempts = fact.attempt;
      row.lastAttemptAt = at;
      row.status = 'pending';
      row.finalAt = null;
      row.nextAttemptAt = fact.next_attempt_at ? new Date(fact.next_attempt_at) : null;
      return;
    }
    case 'delivery.succeeded': {
      if (isDropped(state, fact.delivery_id)) return;
      const at = new Date(fact.occurred_at);
      const row = deliveryFor(state, fact, at);
      const dropped = isUntried(row) && fact.attempts === 1;
      row.attempts = Math.max(row.attempts, fact.attempts);
      settle(state, row, 'succeeded', at);
      if (dropped) state.droppedDeliveries.add(row.id);
      return;
    }
    case 'delivery.failed': {
      const at = new Date(fact.occurred_at);
      const row = deliveryFor(state, fact, at);
      row.attempts = Math.max(row.attempts, fact.attempts);
      settle(state, row, 'failed', at);
      return;
    }
  }
}

/**
 * A delivery whose ladder has not been tried yet and whose body location is known (from `event.accepted` or the
 * job that queued it). If its first attempt succeeds, the run had no failed attempt, so no RETRIES task of it can
 * raise a max-deliveries advisory, and no `event.accepted` is still to come (it gave the body location): the row
 * has nothing left to serve, and is dropped. Anything else that succeeds keeps its row, as before: a delivery that
 * failed first (advisory reconcile checks that its run ended), one whose `event.accepted` may still arrive (it
 * must find the row settled rather than start a new pending one), or one re-run by recover (its earlier run's
 * RETRIES task may still be reconciled).
 */
function isUntried(row: DeliveryRow): boolean {
  return row.status === 'pending' && row.attempts === 0 && row.sourceSeq !== null;
}

/** Dropped in this batch, or in an earlier one and not seen since (a success fact for it again changes nothing). */
function isDropped(state: FoldState, deliveryId: string): boolean {
  if (state.droppedDeliveries.has(deliveryId)) return true;
  return !state.deliveries.has(deliveryId) && state.droppedBefore(deliveryId);
}

function settle(state: FoldState, row: DeliveryRow, status: 'succeeded' | 'failed', at: Date): void {
  const wasFinal = row.status === status && row.finalAt !== null;
  row.status = status;
  row.nextAttemptAt = null;
  if (!wasFinal) row.finalAt = at;
  state.changedDeliveries.add(row.id);
  if (!wasFinal) state.finals.push({ deliveryId: row.id, status, at });
}

function deliveryFor(
  state: FoldState,
  fact: {
    delivery_id: string;
    endpoint_id: string;
    account_id: string;
    event_id: string;
    event_type: string;
  },
  at: Date,
): DeliveryRow {
  let row = state.deliveries.get(fact.delivery_id);
  if (!row) {
    row = newRow(fact.delivery_id, fact.endpoint_id, fact.account_id, fact.event_id, fact.event_type, at);
    state.deliveries.set(row.id, row);
  }
  // A failure after a dropped success (workers racing on one task) brings the row back, as pending or failed.
  state.droppedDeliveries.delete(row.id);
  state.changedDeliveries.add(row.id);
  return row;
}

function newRow(
  id: string,
  endpointId: string,
  accountId: string,
  eventId: string,
  eventType: string,
  at: Date,
): DeliveryRow {
  return {
    id,
    endpointId,
    accountId,
    eventId,
    eventType,
    status: 'pending',
    attempts: 0,
    createdAt: at,
    lastAttemptAt: null,
    nextAttemptAt: null,
    finalAt: null,
    sourceStream: null,
    sourceSeq: null,
  };
}

function healthFor(state: FoldState, endpointId: string, accountId: string): HealthRow {
  let row = state.health.get(endpointId);
  if (!row) {
    row = { endpointId, accountId, firstFailureAt: null, lastFailureAt: null, lastSuccessAt: null };
    state.health.set(endpointId, row);
  }
  return row;
}

function recordFailure(state: FoldState, endpointId: string, accountId: string, at: Date): void {
  const row = healthFor(state, endpointId, accountId);
  // A failure older than the last success (workers race) does not start a streak.
  if (row.lastSuccessAt && at <= row.lastSuccessAt) return;
  if (!row.firstFailureAt || at < row.firstFailureAt) {
    row.firstFailureAt = at;
    state.changedHealth.add(endpointId);
  }
  if (!row.lastFailureAt || at > row.lastFailureAt) {
    row.lastFailureAt = at;
    state.changedHealth.add(endpointId);
  }
}

function recordSuccess(state: FoldState, endpointId: string, accountId: string, at: Date): void {
  const row = healthFor(state, endpointId, accountId);
  if (!row.lastSuccessAt || at > row.lastSuccessAt) {
    row.lastSuccessAt = at;
    state.changedHealth.add(endpointId);
  }
  if (row.firstFailureAt && row.firstFailureAt <= at) {
    row.firstFailureAt = null;
    state.changedHealth.add(endpointId);
  }
}
