import { describe, expect, it } from '@jest/globals';
import type { AttemptRecord, OutcomeBatch, OutcomeFact } from './messages.js';
import { splitOutcome } from './outcome-split.js';

const record: AttemptRecord = {
  delivery_id: 'dlv_1',
  event_id: 'evt_1',
  event_type: 'payment.completed',
  endpoint_id: 'ep_1',
  account_id: 'acct_1',
  attempt: 3,
  started_at: '2026-12-04T10:00:00.000Z',
  duration_ms: 12,
  status_code: 200,
  error: null,
  response_body: 'ok',
  request_headers: { 'content-type': 'application/json' },
  next_attempt_at: null,
};

describe('splitOutcome', () => {
  it('gives an ending attempt as the attempt fact followed by the delivery fact', () => {
    const message: OutcomeFact = {
      type: 'attempt.succeeded',
      ...record,
      ends_delivery: { type: 'delivery.succeeded', attempts: 3, occurred_at: '2026-12-04T10:00:00.020Z' },
    };
    expect(splitOutcome(message)).toEqual([
      { type: 'attempt.succeeded', ...record },
      {
        type: 'delivery.succeeded',
        delivery_id: 'dlv_1',
        event_id: 'evt_1',
        event_type: 'payment.completed',
        endpoint_id: 'ep_1',
        account_id: 'acct_1',
        attempts: 3,
        occurred_at: '2026-12-04T10:00:00.020Z',
      },
    ]);
  });

  it('keeps a failed ending as delivery.failed', () => {
    const message: OutcomeFact = {
      type: 'attempt.failed',
      ...record,
      status_code: 500,
      ends_delivery: { type: 'delivery.failed', attempts: 6, occurred_at: '2026-12-04T10:00:00.020Z' },
    };
    const [attempt, final] = splitOutcome(message);
    expect(attempt).not.toHaveProperty('ends_delivery');
    expect(final).toMatchObject({ type: 'delivery.failed', attempts: 6, delivery_id: 'dlv_1' });
  });

  it('returns any other message as the single fact it is, malformed ones included', () => {
    const plain: OutcomeFact = {
      type: 'attempt.failed',
      ...record,
      next_attempt_at: '2026-12-04T10:01:00.000Z',
    };
    expect(splitOutcome(plain)).toEqual([plain]);
    expect(splitOutcome('not a fact')).toEqual(['not a fact']);
    expect(splitOutcome(null)).toEqual([null]);
    const odd = { type: 'event.accepted', ends_delivery: { type: 'delivery.succeeded' } };
    expect(splitOutcome(odd)).toEqual([odd]);
  });

  it('gives the facts of a batch in order, ending attempts split in place', () => {
    const first: OutcomeFact = { type: 'attempt.failed', ...record, attempt: 1, next_attempt_at: 'soon' };
    const ending: OutcomeFact = {
      type: 'attempt.succeeded',
      ...record,
      delivery_id: 'dlv_2',
      attempt: 1,
      ends_delivery: { type: 'delivery.succeeded', attempts: 1, occurred_at: '2026-12-04T10:00:00.020Z' },
    };
    const batch: OutcomeBatch = { type: 'facts', facts: [first, ending] };
    expect(splitOutcome(batch).map((f) => [f.type, 'delivery_id' in f ? f.delivery_id : null])).toEqual([
      ['attempt.failed', 'dlv_1'],
      ['attempt.succeeded', 'dlv_2'],
      ['delivery.succeeded', 'dlv_2'],
    ]);
    expect(splitOutcome({ type: 'facts', facts: 'not a list' })).toEqual([
      { type: 'facts', facts: 'not a list' },
    ]);
  });
});
