import { describe, expect, it } from '@jest/globals';
import { accepted, attempt, finished, rejected } from '../../../test/support/facts.js';
import { combineOutcomeRows, reduceOutcome } from './outcome-reducer.js';

describe('outcome reducer', () => {
  it('event.accepted gives the event row and a pending delivery due now', () => {
    const rows = reduceOutcome(accepted('2026-12-04T15:00:00Z'), 7)!;
    expect(rows.events).toEqual([
      expect.objectContaining({ id: 'evt_1', account_id: 'acct_1', type: 'payment.completed', test: false }),
    ]);
    expect(rows.deliveries).toEqual([
      expect.objectContaining({
        id: 'dlv_1',
        status: 'pending',
        status_at: null,
        next_attempt_at: '2026-12-04T15:00:00.000Z',
        created_at: '2026-12-04T15:00:00.000Z',
      }),
    ]);
  });

  it('an attempt gives its attempt row and what it says about the delivery', () => {
    const fact = attempt(2, '2026-12-04T15:01:00.000Z', {
      ok: false,
      status: null,
      error: 'timeout',
      next: '2026-12-04T15:06:00.000Z',
      durationMs: 30_000,
      body: null,
    });
    const rows = reduceOutcome(fact, 9)!;
    expect(rows.attempts).toEqual([
      expect.objectContaining({
        delivery_id: 'dlv_1',
        attempt: 2,
        outcome: 'failed',
        status_code: null,
        error: 'timeout',
        duration_ms: 30_000,
        request_headers: { 'x-codeplanet-event-id': 'evt_1', 'x-codeplanet-attempt': '2' },
        next_attempt_at: '2026-12-04T15:06:00.000Z',
      }),
    ]);
    expect(rows.deliveries[0]).toMatchObject({
      status: 'pending',
      status_rank: 1,
      last_attempt: 2,
      last_error: 'timeout',
      updated_at: '2026-12-04T15:01:30.000Z',
    });
  });

  it('delivery.* is final and carries the attempt count', () => {
    const rows = reduceOutcome(finished('failed', '2026-12-05T15:00:00Z', 6), 3)!;
    expect(rows.deliveries[0]).toMatchObject({
      status: 'failed',
      status_rank: 2,
      attempts: 6,
      next_attempt_at: null,
    });
  });

  it('event.rejected is keyed by event id, or by stream sequence without one', () => {
    expect(
      reduceOutcome(rejected('2026-12-04T15:00:00Z', 'evt_bad', 'acct_1'), 4)!.rejected[0],
    ).toMatchObject({
      id: 'evt_bad',
      stream_seq: 4,
      errors: [{ field: 'data.amount', message: 'is required' }],
    });
    expect(reduceOutcome(rejected('2026-12-04T15:00:00Z', null, null), 4)!.rejected[0]!.id).toBe('seq_4');
  });

  it('rejects malformed facts instead of throwing', () => {
    expect(reduceOutcome(undefined, 1)).toBeUndefined();
    expect(reduceOutcome({ type: 'attempt.failed', delivery_id: 'dlv_1' }, 1)).toBeUndefined();
    expect(reduceOutcome({ type: 'something.else' }, 1)).toBeUndefined();
    expect(reduceOutcome({ ...attempt(1, 'not a time', { ok: true }) }, 1)).toBeUndefined();
  });

  it('combines a batch into one row per key', () => {
    const facts = [
      accepted('2026-12-04T15:00:00Z'),
      attempt(1, '2026-12-04T15:00:01Z', { ok: true }),
      attempt(1, '2026-12-04T15:00:01Z', { ok: true }),
      accepted('2026-12-04T15:00:00Z'),
    ];
    const batch = combineOutcomeRows(facts.map((f, i) => reduceOutcome(f, i + 1)!));
    expect(batch.events).toHaveLength(1);
    expect(batch.attempts).toHaveLength(1);
    expect(batch.deliveries).toHaveLength(1);
    expect(batch.deliveries[0]!.status).toBe('succeeded');
  });
});
