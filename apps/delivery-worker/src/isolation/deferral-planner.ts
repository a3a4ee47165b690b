export interface DeferralOptions {
  /** First deferral; doubles with each redelivery of the same task. */
  minDelayMs: number;
  maxDelayMs: number;
}

/**
 * How long a task for an endpoint at its cap is deferred (`nak(delay)`): short at first, so a burst to a fast
 * endpoint drains quickly, doubling per redelivery up to the maximum, so a hanging endpoint's backlog costs a
 * trickle of redeliveries. Jittered, so one endpoint's deferred tasks do not come back as one wave.
 */
export class DeferralPlanner {
  constructor(
    private readonly options: DeferralOptions,
    private readonly random: () => number = Math.random,
  ) {}

  delayFor(deliveryCount: number): number {
    const exponent = Math.min(Math.max(deliveryCount - 1, 0), 16);
    const delay = Math.min(this.options.minDelayMs * 2 ** exponent, this.options.maxDelayMs);
    return Math.max(1, Math.round(delay * (0.75 + this.random() * 0.5)));
  }
}
