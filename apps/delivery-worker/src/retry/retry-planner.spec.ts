import { describe, expect, it } from '@jest/globals';
import { RetryPolicy } from '@codeplanet/retry-policy';
import { deliveryTask } from '../testing/fixtures.js';
import { RetryPlanner, parseNotBefore } from './retry-planner.js';

const LADDER = [100, 200, 300, 400, 500];
const planner = new RetryPlanner(new RetryPolicy(LADDER));

describe('RetryPlanner', () => {
  it('maps RETRIES deliveries to attempts: 1 parks, d >= 2 is attempt d', () => {
    const task = deliveryTask({ first_attempt: 2 });
    expect(planner.retryAttempt(task, 1)).toBeNull();
    expect(planner.retryAttempt(task, 2)).toBe(2);
    expect(planner.retryAttempt(task, 6)).toBe(6);
    expect(planner.isLast(5, 5)).toBe(false);
    expect(planner.isLast(6, 6)).toBe(true);
  });

  it('treats the consumer reaching max_deliver as the last attempt', () => {
    expect(planner.maxDeliver).toBe(6);
    expect(planner.isLast(4, 6)).toBe(true);
  });

  it('parks a failed first attempt for ladder[0], or until Retry-After when later', () => {
    expect(planner.afterFirstFailure(1, null, 1000)).toEqual({
      final: false,
      nextAttemptAt: 1100,
      notBefore: null,
    });
    expect(planner.afterFirstFailure(1, 50, 1000)).toEqual({
      final: false,
      nextAttemptAt: 1100,
      notBefore: null,
    });
    expect(planner.afterFirstFailure(1, 400, 1000)).toEqual({
      final: false,
      nextAttemptAt: 1400,
      notBefore: 1400,
    });
  });

  it('caps Retry-After at the longest ladder step', () => {
    expect(planner.afterFirstFailure(1, 60_000, 0)).toEqual({
      final: false,
      nextAttemptAt: 500,
      notBefore: 500,
    });
  });

  it('naks a parking delivery only until its not-before', () => {
    expect(planner.parkingDelay(null, 0)).toBeNull();
    expect(planner.parkingDelay(1050, 1000)).toBeNull();
    expect(planner.parkingDelay(1400, 1000)).toBe(400);
  });

  it('leaves a failed retry to the backoff unless Retry-After is later', () => {
    expect(planner.afterRetryFailure(2, 2, null, 0)).toEqual({ nextAttemptAt: 200, nakDelayMs: null });
    expect(planner.afterRetryFailure(2, 2, 150, 0)).toEqual({ nextAttemptAt: 200, nakDelayMs: null });
    // nats-server redelivers a nak(delay) after delay + backoff[d-1] - backoff[0]: 300 + 200 - 100 = 400.
    expect(planner.afterRetryFailure(2, 2, 400, 0)).toEqual({ nextAttemptAt: 400, nakDelayMs: 300 });
  });

  it('keeps a re-queued task (attempts ahead of deliveries) on the contract ladder', () => {
    // Attempt 4 failed on DELIVERIES: it waits ladder[3], not the parking ladder[0].
    expect(planner.afterFirstFailure(4, null, 0)).toEqual({
      final: false,
      nextAttemptAt: 400,
      notBefore: 400,
    });
    // Attempt 5 is RETRIES delivery 2 (backoff 200): ladder[4] = 500 is owed, so nak 500 - 200 + 100.
    expect(planner.afterRetryFailure(5, 2, null, 0)).toEqual({ nextAttemptAt: 500, nakDelayMs: 400 });
    expect(planner.afterFirstFailure(6, null, 0)).toEqual({ final: true });
  });

  it('reads the not-before header defensively', () => {
    expect(parseNotBefore(undefined)).toBeNull();
    expect(parseNotBefore('')).toBeNull();
    expect(parseNotBefore('abc')).toBeNull();
    expect(parseNotBefore('1234')).toBe(1234);
  });
});
