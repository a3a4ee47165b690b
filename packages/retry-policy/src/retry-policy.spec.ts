import { describe, expect, it } from '@jest/globals';
import { DEFAULT_MAX_ACK_PENDING, DEFAULT_RETRY_SCHEDULE, RetryPolicy } from './retry-policy.js';
import { parseSchedule } from './schedule.js';

const MS_NS = 1_000_000;

describe('RetryPolicy with the contract ladder', () => {
  const policy = new RetryPolicy(parseSchedule('1m,5m,30m,2h,24h'));

  it('allows six attempts', () => {
    expect(policy.maxAttempts).toBe(6);
    expect(policy.ladderMs).toEqual([60_000, 300_000, 1_800_000, 7_200_000, 86_400_000]);
  });

  it('waits 1m, 5m, 30m, 2h, 24h after attempts 1-5, then stops', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => policy.delayAfterAttempt(n))).toEqual([
      60_000,
      300_000,
      1_800_000,
      7_200_000,
      86_400_000,
      null,
    ]);
    expect(policy.delayAfterAttempt(7)).toBeNull();
  });

  it('computes when the next attempt is due', () => {
    const now = new Date('2026-12-04T15:00:00.000Z');
    expect(policy.nextAttemptAt(1, now)?.toISOString()).toBe('2026-12-04T15:01:00.000Z');
    expect(policy.nextAttemptAt(5, now.getTime())?.toISOString()).toBe('2026-12-05T15:00:00.000Z');
    expect(policy.nextAttemptAt(6, now)).toBeNull();
    const dueSoon = policy.nextAttemptAt(1);
    expect(Math.abs((dueSoon?.getTime() ?? 0) - Date.now() - 60_000)).toBeLessThan(1_000);
  });

  it('knows the last attempt', () => {
    expect(policy.isLastAttempt(5)).toBe(false);
    expect(policy.isLastAttempt(6)).toBe(true);
  });

  it('derives the RETRIES consumer settings in nanoseconds', () => {
    expect(policy.retryConsumerConfig()).toEqual({
      ack_wait: 60_000 * MS_NS,
      backoff: [60, 300, 1_800, 7_200, 86_400].map((s) => s * 1_000 * MS_NS),
      max_deliver: 6,
      max_ack_pending: DEFAULT_MAX_ACK_PENDING,
    });
    expect(DEFAULT_MAX_ACK_PENDING).toBeGreaterThanOrEqual(100_000);
    expect(Number.isSafeInteger(policy.retryConsumerConfig().backoff.at(-1))).toBe(true);
  });

  it('maps RETRIES deliveries to attempts: 1 is parking, d >= 2 is attempt d', () => {
    expect(policy.attemptForRetryDelivery(1)).toBeNull();
    expect([2, 3, 4, 5, 6].map((d) => policy.attemptForRetryDelivery(d))).toEqual([2, 3, 4, 5, 6]);
  });

  it('rejects nonsense attempt numbers', () => {
    expect(() => policy.delayAfterAttempt(0)).toThrow(RangeError);
    expect(() => policy.delayAfterAttempt(1.5)).toThrow('attempt must be an integer 1 or more');
    expect(() => policy.attemptForRetryDelivery(0)).toThrow('deliveryCount');
  });
});

describe('RetryPolicy construction', () => {
  it('builds from a schedule string, the contract one by default', () => {
    expect(RetryPolicy.fromSchedule(DEFAULT_RETRY_SCHEDULE).ladderMs).toEqual(
      parseSchedule('1m,5m,30m,2h,24h'),
    );
    expect(RetryPolicy.fromSchedule('50ms,100ms', { maxAckPending: 10 }).retryConsumerConfig()).toEqual({
      ack_wait: 50 * MS_NS,
      backoff: [50 * MS_NS, 100 * MS_NS],
      max_deliver: 3,
      max_ack_pending: 10,
    });
    expect(() => RetryPolicy.fromSchedule('1m,5x')).toThrow('RETRY_SCHEDULE item "5x"');
  });

  it('takes max_ack_pending as an option', () => {
    expect(new RetryPolicy([50, 100], { maxAckPending: 5_000 }).retryConsumerConfig().max_ack_pending).toBe(
      5_000,
    );
    expect(() => new RetryPolicy([50], { maxAckPending: 0 })).toThrow('maxAckPending');
  });

  it.each([[[]], [[0]], [[50, -1]], [[1.5]], [[Number.NaN]]])('rejects the ladder %p', (ladder) => {
    expect(() => new RetryPolicy(ladder)).toThrow(RangeError);
  });

  it('copies and freezes its ladder', () => {
    const ladder = [50, 100];
    const policy = new RetryPolicy(ladder);
    ladder.push(1);
    expect(policy.maxAttempts).toBe(3);
    expect(Object.isFrozen(policy.ladderMs)).toBe(true);
  });
});

/**
 * Model of the RETRIES consumer (nats-server, consumer with `backoff`; see TOOLCHAIN.md and the class comment):
 * from the moment delivery d arrives, it is redelivered after `backoff[min(d-1, len-1)]` if left alone, or, after
 * `nak(delay)` sent `elapsed` ms later, `delay + backoff[min(d-1, len-1)] - backoff[0]` after the nak.
 * Returns the wait from the nak moment (or from "now", `elapsed` after arrival) to the next delivery.
 */
function serverWait(ladder: number[], delivery: number, nakDelay: number | null, elapsed: number): number {
  const backoff = ladder[Math.min(delivery - 1, ladder.length - 1)] as number;
  return nakDelay === null ? backoff - elapsed : nakDelay + backoff - (ladder[0] as number);
}

describe('retryAfterNakDelay (compressed ladder 50ms,100ms,400ms)', () => {
  const ladder = parseSchedule('50ms,100ms,400ms');
  const policy = new RetryPolicy(ladder);

  it('returns null when the ladder is already later than Retry-After', () => {
    expect(policy.retryAfterNakDelay(2, 10)).toBeNull();
    expect(policy.retryAfterNakDelay(2, 100)).toBeNull();
    expect(policy.retryAfterNakDelay(3, 400)).toBeNull();
  });

  it('on the parking delivery, naks for exactly Retry-After', () => {
    expect(policy.retryAfterNakDelay(1, 500)).toBe(500);
  });

  it('compensates for the backoff step the server adds', () => {
    // Delivery 2 waits 100ms by itself; nak(delay) waits delay + 100 - 50: Retry-After 1000 needs nak(950).
    expect(policy.retryAfterNakDelay(2, 1_000)).toBe(950);
    expect(policy.retryAfterNakDelay(3, 1_000)).toBe(650);
  });

  it('returns null after the last attempt', () => {
    expect(policy.retryAfterNakDelay(4, 10_000)).toBeNull();
    expect(policy.retryAfterNakDelay(9, 10_000)).toBeNull();
  });

  it('ignores a missing or nonsensical Retry-After', () => {
    expect(policy.retryAfterNakDelay(2, 0)).toBeNull();
    expect(policy.retryAfterNakDelay(2, -5)).toBeNull();
    expect(policy.retryAfterNakDelay(2, Number.NaN)).toBeNull();
  });

  it('accounts for the time the attempt itself took', () => {
    // Delivery 2 arrived 80ms ago: the ladder alone brings attempt 3 in 20ms, too early for Retry-After 90ms.
    expect(policy.retryAfterNakDelay(2, 90, 80)).toBe(40);
    expect(policy.retryAfterNakDelay(2, 15, 80)).toBeNull();
  });

  it('never returns 0 (plain nak redelivers at once)', () => {
    expect(policy.retryAfterNakDelay(3, 10, 395)).toBe(1);
  });

  it('always schedules the next attempt no earlier than both the ladder and Retry-After, and no later than needed', () => {
    for (let delivery = 1; delivery < policy.maxAttempts; delivery += 1) {
      for (const retryAfter of [1, 20, 49, 50, 51, 99, 100, 101, 399, 400, 401, 2_000]) {
        for (const elapsed of [0, 5, 30, 60, 99, 120]) {
          const delay = policy.retryAfterNakDelay(delivery, retryAfter, elapsed);
          const ladderRemaining = (ladder[delivery - 1] as number) - elapsed;
          const wait = serverWait(ladder, delivery, delay, elapsed);
          expect(wait).toBeGreaterThanOrEqual(Math.max(retryAfter, ladderRemaining));
          // Exactly on time, except when the 1ms floor applies (the attempt outlasted backoff[0]); then the
          // overshoot is bounded by how far the attempt ran past backoff[0].
          const slack = delay === 1 ? 1 + Math.max(0, elapsed - (ladder[0] as number)) : 0;
          expect(wait).toBeLessThanOrEqual(Math.max(retryAfter, ladderRemaining) + slack);
          if (delay !== null) expect(delay).toBeGreaterThanOrEqual(1);
        }
      }
    }
  });
});
