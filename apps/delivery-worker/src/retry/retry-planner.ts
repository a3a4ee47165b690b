import type { DeliveryTask } from '@codeplanet/event-schemas';
import type { RetryPolicy } from '@codeplanet/retry-policy';

/** On a RETRIES message: don't attempt before this epoch ms (a first attempt's Retry-After beyond ladder[0]). */
export const NOT_BEFORE_HEADER = 'Codeplanet-Not-Before';

export type FirstFailurePlan =
  { final: true } | { final: false; nextAttemptAt: number; notBefore: number | null };

export interface RetryFailurePlan {
  nextAttemptAt: number;
  /** Pass to `nak()` when Retry-After is later than the ladder; null: leave un-acked, the backoff carries it. */
  nakDelayMs: number | null;
}

/**
 * The ladder as the two consumers carry it. DELIVERIES holds first attempts; a failed one moves to RETRIES, whose
 * consumer `backoff` is the ladder: delivery 1 parks for ladder[0], delivery d >= 2 is attempt d, and a failed
 * attempt left un-acked comes back ladder[d-1] later. Retry-After can only push an attempt later, capped at the
 * longest ladder step (RETRY_AFTER_MAX) so a receiver cannot park a delivery forever.
 */
export class RetryPlanner {
  readonly maxRetryAfterMs: number;

  /** `maxRetryAfterMs` defaults to the longest ladder step (24 h with the contract's ladder). */
  constructor(
    readonly policy: RetryPolicy,
    maxRetryAfterMs?: number,
  ) {
    this.maxRetryAfterMs = maxRetryAfterMs ?? Math.max(...policy.ladderMs);
  }

  get maxDeliver(): number {
    return this.policy.maxAttempts;
  }

  /** The attempt a RETRIES delivery stands for, or null for the parking delivery. */
  retryAttempt(task: DeliveryTask, deliveryCount: number): number | null {
    const base = this.policy.attemptForRetryDelivery(deliveryCount);
    if (base === null) return null;
    const firstRetry =
      Number.isInteger(task.first_attempt) && task.first_attempt >= 2 ? task.first_attempt : 2;
    return base + firstRetry - 2;
  }

  /** No attempt follows this one: the ladder is exhausted, or the consumer will not redeliver again. */
  isLast(attempt: number, deliveryCount: number | null): boolean {
    return this.policy.isLastAttempt(attempt) || (deliveryCount !== null && deliveryCount >= this.maxDeliver);
  }

  /**
   * After a failed attempt from DELIVERIES: the task parks on RETRIES for ladder[0]; when the wait owed is longer
   * (Retry-After, or a re-queued task whose next step is further up the ladder) it carries a not-before.
   */
  afterFirstFailure(attempt: number, retryAfterMs: number | null, now: number): FirstFailurePlan {
    const ladderWait = this.policy.delayAfterAttempt(attempt);
    if (ladderWait === null) return { final: true };
    const parking = this.policy.ladderMs[0] as number;
    const wait = Math.max(ladderWait, this.capRetryAfter(retryAfterMs) ?? 0);
    return {
      final: false,
      nextAttemptAt: now + Math.max(wait, parking),
      notBefore: wait > parking ? now + wait : null,
    };
  }

  /**
   * After failed attempt `attempt` on RETRIES delivery `deliveryCount`: left un-acked, the consumer redelivers
   * after its backoff step; when the wait owed is longer (Retry-After, or a task whose attempts do not line up with
   * the delivery count) a nak with retry-policy's delay stretches it. Never shorter than the ladder.
   */
  afterRetryFailure(
    attempt: number,
    deliveryCount: number,
    retryAfterMs: number | null,
    now: number,
  ): RetryFailurePlan {
    const natural = this.backoffAfter(deliveryCount);
    const ladderWait = this.policy.delayAfterAttempt(attempt) ?? natural;
    const wait = Math.max(ladderWait, this.capRetryAfter(retryAfterMs) ?? 0);
    const nakDelayMs = wait > natural ? this.policy.retryAfterNakDelay(deliveryCount, wait) : null;
    return { nextAttemptAt: now + Math.max(wait, natural), nakDelayMs };
  }

  /** On the parking delivery: the nak delay that holds the task until its not-before, or null to just park. */
  parkingDelay(notBefore: number | null, now: number): number | null {
    if (notBefore === null) return null;
    return this.policy.retryAfterNakDelay(1, notBefore - now);
  }

  /** How long the consumer waits before redelivering delivery d if it is not answered. */
  backoffAfter(deliveryCount: number): number {
    const ladder = this.policy.ladderMs;
    return ladder[Math.min(deliveryCount - 1, ladder.length - 1)] as number;
  }

  private capRetryAfter(retryAfterMs: number | null): number | null {
    if (retryAfterMs === null || retryAfterMs <= 0) return null;
    return Math.min(retryAfterMs, this.maxRetryAfterMs);
  }
}

export function parseNotBefore(value: string | undefined): number | null {
  if (!value) return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : null;
}
