import { describe, expect, it } from '@jest/globals';
import type { AttemptRecord, OutcomeFact } from '@codeplanet/event-schemas';
import { emptyFold, foldOutcome } from './outcomes-fold.js';

const base: Omit<AttemptRecord, 'attempt' | 'started_at' | 'next_attempt_at' | 'error'> = {
  delivery_id: 'dlv_1',
  event_id: 'evt_1',
  event_type: 'payment.completed',
  endpoint_id: 'ep_1',
  account_id: 'acct_1',
  duration_ms: 3,
  status_code: 500,
  response_body: null,
  request_headers: {},
};

const failed = (attempt: number, at: string, next: string | null, error = 'http_status'): OutcomeFact => ({
  type: 'attempt.failed',
  ...base,
  attempt,
  started_at: at,
  next_attempt_at: next,
  error,
});
const succeeded = (attempt: number, at: string): OutcomeFact => ({
  type: 'attempt.succeeded',
  ...base,
  attempt,
  started_at: at,
  next_attempt_at: null,
  error: null,
});
const final = (
  type: 'delivery.succeeded' | 'delivery.failed',
  attempts: number,
  at: string,
): OutcomeFact => ({
  type,
  delivery_id: 'dlv_1',
  event_id: 'evt_1',
  event_type: 'payment.completed',
  endpoint_id: 'ep_1',
  account_id: 'acct_1',
  attempts,
  occurred_at: at,
});

describe('foldOutcome', () => {
  it('tracks a delivery through its ladder and remembers where its body is', () => {
    const state = emptyFold();
    foldOutcome(
      state,
      {
        type: 'event.accepted',
        event: {
          id: 'evt_1',
          type: 'payment.completed',
          account_id: 'acct_1',
          created_at: 't',
          test: false,
          data: {},
        },
        deliveries: [{ delivery_id: 'dlv_1', endpoint_id: 'ep_1' }],
        occurred_at: '2026-01-01T00:00:00.000Z',
      },
      7,
    );
    foldOutcome(state, failed(1, '2026-01-01T00:00:01.000Z', '2026-01-01T00:01:01.000Z'), 8);
    expect(state.deliveries.get('dlv_1')).toMatchObject({
      status: 'pending',
      attempts: 1,
      sourceStream: 'outcomes',
      sourceSeq: 7,
    });
    foldOutcome(state, failed(6, '2026-01-02T00:00:00.000Z', null), 9);
    foldOutcome(state, final('delivery.failed', 6, '2026-01-02T00:00:01.000Z'), 10);
    expect(state.deliveries.get('dlv_1')).toMatchObject({
      status: 'failed',
      attempts: 6,
      nextAttemptAt: null,
    });
    expect(state.finals).toEqual([
      { deliveryId: 'dlv_1', status: 'failed', at: new Date('2026-01-02T00:00:01.000Z') },
    ]);

    // A new ladder (recover, manual retry) makes it pending again; its end is a new final.
    foldOutcome(state, succeeded(1, '2026-01-03T00:00:00.000Z'), 11);
    foldOutcome(state, final('delivery.succeeded', 1, '2026-01-03T00:00:00.100Z'), 12);
    expect(state.deliveries.get('dlv_1')?.status).toBe('succeeded');
    expect(state.finals.map((f) => f.status)).toEqual(['failed', 'succeeded']);
  });

  it('keeps the failure streak per endpoint: first failure since the last success', () => {
    const state = emptyFold();
    foldOutcome(state, failed(1, '2026-01-01T00:00:00.000Z', 'x'), 1);
    foldOutcome(state, failed(2, '2026-01-01T01:00:00.000Z', 'x'), 2);
    expect(state.health.get('ep_1')).toMatchObject({
      firstFailureAt: new Date('2026-01-01T00:00:00.000Z'),
      lastFailureAt: new Date('2026-01-01T01:00:00.000Z'),
    });
    foldOutcome(state, succeeded(3, '2026-01-01T02:00:00.000Z'), 3);
    expect(state.health.get('ep_1')?.firstFailureAt).toBeNull();
    // Late news of an older failure does not restart the streak; skipped attempts never count.
    foldOutcome(state, failed(2, '2026-01-01T01:30:00.000Z', 'x'), 4);
    foldOutcome(state, failed(1, '2026-01-01T03:00:00.000Z', null, 'endpoint_disabled'), 5);
    expect(state.health.get('ep_1')?.firstFailureAt).toBeNull();
    foldOutcome(state, failed(1, '2026-01-01T04:00:00.000Z', 'x'), 6);
    expect(state.health.get('ep_1')?.firstFailureAt).toEqual(new Date('2026-01-01T04:00:00.000Z'));
  });
});

const accepted = (at = '2026-01-01T00:00:00.000Z'): OutcomeFact => ({
  type: 'event.accepted',
  event: {
    id: 'evt_1',
    type: 'payment.completed',
    account_id: 'acct_1',
    created_at: at,
    test: false,
    data: {},
  },
  deliveries: [{ delivery_id: 'dlv_1', endpoint_id: 'ep_1' }],
  occurred_at: at,
});

describe('foldOutcome: which succeeded deliveries keep a row', () => {
  it('drops a delivery whose first attempt succeeded, and still records the final for job progress', () => {
    const state = emptyFold();
    foldOutcome(state, accepted(), 1);
    foldOutcome(state, succeeded(1, '2026-01-01T00:00:01.000Z'), 2);
    foldOutcome(state, final('delivery.succeeded', 1, '2026-01-01T00:00:01.100Z'), 3);
    expect([...state.droppedDeliveries]).toEqual(['dlv_1']);
    expect(state.finals).toEqual([
      { deliveryId: 'dlv_1', status: 'succeeded', at: new Date('2026-01-01T00:00:01.000Z') },
    ]);
    expect(state.health.get('ep_1')?.lastSuccessAt).toEqual(new Date('2026-01-01T00:00:01.000Z'));
  });

  it('drops it on delivery.succeeded alone too (its attempt fact in a later batch)', () => {
    const state = emptyFold();
    foldOutcome(state, accepted(), 1);
    foldOutcome(state, final('delivery.succeeded', 1, '2026-01-01T00:00:01.100Z'), 2);
    expect(state.droppedDeliveries.has('dlv_1')).toBe(true);
  });

  it('keeps a delivery that failed first: advisory reconcile must see that its run ended', () => {
    const state = emptyFold();
    foldOutcome(state, accepted(), 1);
    foldOutcome(state, failed(1, '2026-01-01T00:00:01.000Z', '2026-01-01T00:01:01.000Z'), 2);
    foldOutcome(state, succeeded(2, '2026-01-01T00:01:01.000Z'), 3);
    foldOutcome(state, final('delivery.succeeded', 2, '2026-01-01T00:01:01.100Z'), 4);
    expect(state.droppedDeliveries.size).toBe(0);
    expect(state.deliveries.get('dlv_1')).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('keeps a delivery whose event.accepted has not been seen, so the late fact cannot make it pending', () => {
    const state = emptyFold();
    foldOutcome(state, succeeded(1, '2026-01-01T00:00:01.000Z'), 1);
    foldOutcome(state, final('delivery.succeeded', 1, '2026-01-01T00:00:01.100Z'), 2);
    foldOutcome(state, accepted(), 3);
    expect(state.droppedDeliveries.size).toBe(0);
    expect(state.deliveries.get('dlv_1')).toMatchObject({
      status: 'succeeded',
      sourceStream: 'outcomes',
      sourceSeq: 3,
    });
  });

  it('keeps a delivery re-run by recover (its earlier run may still be reconciled)', () => {
    const state = emptyFold();
    state.deliveries.set('dlv_1', {
      id: 'dlv_1',
      endpointId: 'ep_1',
      accountId: 'acct_1',
      eventId: 'evt_1',
      eventType: 'payment.completed',
      status: 'pending',
      attempts: 6,
      createdAt: new Date('2026-01-01T00:00:00.000Z'),
      lastAttemptAt: new Date('2026-01-02T00:00:00.000Z'),
      nextAttemptAt: new Date('2026-01-03T00:00:00.000Z'),
      finalAt: null,
      sourceStream: 'outcomes',
      sourceSeq: 7,
    });
    foldOutcome(state, succeeded(1, '2026-01-03T00:00:00.000Z'), 20);
    expect(state.droppedDeliveries.size).toBe(0);
    expect(state.deliveries.get('dlv_1')?.status).toBe('succeeded');
  });

  it('brings a dropped delivery back when a failure follows (workers racing on one task)', () => {
    const state = emptyFold();
    foldOutcome(state, accepted(), 1);
    foldOutcome(state, succeeded(1, '2026-01-01T00:00:01.000Z'), 2);
    foldOutcome(state, failed(1, '2026-01-01T00:00:00.500Z', '2026-01-01T00:01:00.000Z'), 3);
    expect(state.droppedDeliveries.size).toBe(0);
    expect(state.deliveries.get('dlv_1')).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('lets success facts of a delivery dropped by an earlier batch write nothing, but not failures', () => {
    const droppedBefore = (id: string): boolean => id === 'dlv_1';
    const late = emptyFold(droppedBefore);
    foldOutcome(late, final('delivery.succeeded', 1, '2026-01-01T00:00:01.100Z'), 10);
    foldOutcome(late, accepted(), 11);
    expect(late.changedDeliveries.size).toBe(0);
    expect(late.finals).toEqual([]);

    const racing = emptyFold(droppedBefore);
    foldOutcome(racing, failed(1, '2026-01-01T00:00:00.500Z', '2026-01-01T00:01:00.000Z'), 10);
    expect(racing.deliveries.get('dlv_1')).toMatchObject({ status: 'pending', attempts: 1 });
    expect(racing.changedDeliveries.has('dlv_1')).toBe(true);
  });

  it('marks endpoint health changed only when a value changes', () => {
    const state = emptyFold();
    state.health.set('ep_1', {
      endpointId: 'ep_1',
      accountId: 'acct_1',
      firstFailureAt: null,
      lastFailureAt: new Date('2026-01-01T00:00:00.000Z'),
      lastSuccessAt: new Date('2026-01-01T02:00:00.000Z'),
    });
    foldOutcome(state, succeeded(1, '2026-01-01T01:00:00.000Z'), 1);
    foldOutcome(state, failed(1, '2026-01-01T01:30:00.000Z', 'x'), 2);
    expect(state.changedHealth.size).toBe(0);
    foldOutcome(state, succeeded(1, '2026-01-01T03:00:00.000Z'), 3);
    expect([...state.changedHealth]).toEqual(['ep_1']);
  });
});
