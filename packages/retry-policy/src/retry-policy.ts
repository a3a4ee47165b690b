import { parseSchedule } from './schedule.js';

const NS_PER_MS = 1_000_000;

export interface RetryPolicyOptions {
  /**
   * `max_ack_pending` of the RETRIES consumer. Every task waiting for a retry is "pending" on that consumer, so
   * the default 1000 would let a few dead endpoints stall every retry; one million keeps 100k waiting tasks cheap.
   */
  maxAckPending?: number;
}

/** JetStream consumer settings for the RETRIES stream, durations in nanoseconds. */
export interface RetryConsumerConfig {
  ack_wait: number;
  backoff: number[];
  max_deliver: number;
  max_ack_pending: number;
}

export const DEFAULT_MAX_ACK_PENDING = 1_000_000;

/** CONTRACT.md §3: retries 1 min, 5 min, 30 min, 2 h and 24 h after the previous attempt. */
export const DEFAULT_RETRY_SCHEDULE = '1m,5m,30m,2h,24h';

function assertAttempt(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer ${min} or more (got ${value})`);
  }
}

/**
 * The retry ladder as data (CONTRACT.md §3): attempt 1 at once, attempt n+1 `ladder[n-1]` after attempt n fails,
 * `ladder.length + 1` attempts in all.
 *
 * How the RETRIES consumer carries the waiting (nats-server consumer semantics, checked in its source):
 * - with `backoff` set, a delivery with delivery count d is redelivered `backoff[min(d-1, len-1)]` after it was
 *   delivered if it is not acked (`ack_wait` is forced to `backoff[0]`);
 * - a task lands on RETRIES right after attempt 1 failed. Delivery 1 is the "parking" delivery: the worker leaves
 *   it un-acked, and it comes back `backoff[0] = ladder[0]` later as delivery 2 = attempt 2. A failed attempt d is
 *   likewise left un-acked and returns `ladder[d-1]` later as attempt d+1. `max_deliver = ladder.length + 1` ends
 *   the ladder after attempt `ladder.length + 1` (the worker acks/terms that last one itself).
 */
export class RetryPolicy {
  readonly ladderMs: readonly number[];
  readonly maxAttempts: number;
  private readonly maxAckPending: number;

  constructor(ladderMs: readonly number[], options: RetryPolicyOptions = {}) {
    const ladder: number[] = Array.from(ladderMs);
    if (ladder.length === 0) {
      throw new RangeError('retry ladder needs at least one delay, e.g. [60000, 300000]');
    }
    ladder.forEach((ms, i) => {
      if (!Number.isInteger(ms) || ms < 1) {
        throw new RangeError(
          `retry ladder step ${i + 1} must be a whole number of milliseconds >= 1 (got ${ms})`,
        );
      }
    });
    this.ladderMs = Object.freeze(ladder);
    this.maxAttempts = ladder.length + 1;
    this.maxAckPending = options.maxAckPending ?? DEFAULT_MAX_ACK_PENDING;
    assertAttempt('maxAckPending', this.maxAckPending, 1);
  }

  /** `RetryPolicy.fromSchedule(process.env.RETRY_SCHEDULE ?? DEFAULT_RETRY_SCHEDULE)`. */
  static fromSchedule(schedule: string, options: RetryPolicyOptions = {}): RetryPolicy {
    return new RetryPolicy(parseSchedule(schedule), options);
  }

  /** Delay between attempt n failing and attempt n+1; null when n is the last attempt. */
  delayAfterAttempt(attempt: number): number | null {
    assertAttempt('attempt', attempt, 1);
    return attempt < this.maxAttempts ? (this.ladderMs[attempt - 1] as number) : null;
  }

  /** When attempt n+1 is due if attempt n fails at `now`; null when n is the last attempt. */
  nextAttemptAt(attempt: number, now: Date | number = Date.now()): Date | null {
    const delay = this.delayAfterAttempt(attempt);
    const base = now instanceof Date ? now.getTime() : now;
    return delay === null ? null : new Date(base + delay);
  }

  isLastAttempt(attempt: number): boolean {
    assertAttempt('attempt', attempt, 1);
    return attempt >= this.maxAttempts;
  }

  /**
   * The attempt a RETRIES delivery stands for: null for delivery 1 (parking: just arrived after attempt 1
   * failed, let ack-wait expire), d for delivery d >= 2.
   */
  attemptForRetryDelivery(deliveryCount: number): number | null {
    assertAttempt('deliveryCount', deliveryCount, 1);
    return deliveryCount === 1 ? null : deliveryCount;
  }

  /** Settings for the RETRIES durable consumer, in nanoseconds as JetStream wants them. */
  retryConsumerConfig(): RetryConsumerConfig {
    const backoff = this.ladderMs.map((ms) => ms * NS_PER_MS);
    return {
      ack_wait: backoff[0] as number,
      backoff,
      max_deliver: this.maxAttempts,
      max_ack_pending: this.maxAckPending,
    };
  }

  /** Natural wait of RETRIES delivery d before its redelivery: `backoff[min(d-1, len-1)]`. */
  private backoffWaitMs(deliveryCount: number): number {
    const index = Math.min(deliveryCount - 1, this.ladderMs.length - 1);
    return this.ladderMs[index] as number;
  }

  /**
   * A receiver answered with `Retry-After` on RETRIES delivery `deliveryCount` (the parking delivery 1 when the
   * first attempt's answer is carried along, or attempt d >= 2). Returns the delay to pass to `msg.nak(delay)` so
   * the next attempt comes no earlier than BOTH the ladder and Retry-After, or null when the ladder is already as
   * late (then leave the message un-acked and let ack-wait expire), or when no attempt follows.
   *
   * Why this formula: nats-server handles `nak(delay)` by back-dating the delivery so that it "expires" `delay`
   * from now under an ack wait of `backoff[0]`, but then compares against the backoff of the current delivery,
   * `B = backoff[min(d-1, len-1)]`. The redelivery therefore comes `delay + B - backoff[0]` after the nak
   * (TOOLCHAIN.md). Waiting W = Retry-After from now thus needs `delay = W - B + backoff[0]`.
   * Without a nak the next attempt comes `B - elapsed` from now (`elapsed` = time since this delivery arrived,
   * i.e. the attempt's own duration), so the nak is only needed when Retry-After is later than that.
   * The result is at least 1 ms: `nak(0)` would be an immediate redelivery.
   */
  retryAfterNakDelay(deliveryCount: number, retryAfterMs: number, elapsedMs = 0): number | null {
    assertAttempt('deliveryCount', deliveryCount, 1);
    if (deliveryCount >= this.maxAttempts) return null;
    if (!Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return null;
    const wait = this.backoffWaitMs(deliveryCount);
    const ladderRemaining = wait - Math.max(0, elapsedMs);
    if (retryAfterMs <= ladderRemaining) return null;
    const first = this.ladderMs[0] as number;
    return Math.max(1, Math.ceil(retryAfterMs - wait + first));
  }
}
