/**
 * Per-endpoint circuit breaker. After `threshold` consecutive failed attempts the endpoint is open: attempts are
 * recorded as `circuit_open` without an HTTP call until `cooldownMs` has passed; then one probe is let through
 * (half-open) and its result closes or re-opens the circuit. Timeouts count as failures too: a hanging endpoint
 * would otherwise keep cycling its queued tasks through the in-flight cap.
 */
export type BreakerDecision = 'allow' | 'probe' | 'reject';
export type BreakerState = 'closed' | 'open' | 'half_open';

interface EndpointBreaker {
  state: BreakerState;
  failures: number;
  openUntil: number;
  probeInFlight: boolean;
}

export interface BreakerOptions {
  threshold: number;
  cooldownMs: number;
}

export class CircuitBreaker {
  private readonly endpoints = new Map<string, EndpointBreaker>();

  constructor(private readonly options: BreakerOptions) {
    if (!Number.isInteger(options.threshold) || options.threshold < 1) {
      throw new Error(`breaker threshold must be a positive integer, got ${options.threshold}`);
    }
  }

  /** Whether an attempt may make its HTTP call now. A `probe` must be followed by record() or abandon(). */
  admit(endpointId: string, now: number): BreakerDecision {
    const entry = this.endpoints.get(endpointId);
    if (!entry || entry.state === 'closed') return 'allow';
    if (entry.state === 'open') {
      if (now < entry.openUntil) return 'reject';
      entry.state = 'half_open';
      entry.probeInFlight = true;
      return 'probe';
    }
    if (entry.probeInFlight) return 'reject';
    entry.probeInFlight = true;
    return 'probe';
  }

  /**
   * An attempt someone asked for (a manual retry, a recover or a replay) probes an open circuit at once instead of
   * failing as `circuit_open` until the cool-down ends: the customer says the receiver is fixed, so try it.
   * Still one probe at a time, so a recover of many deliveries does not flood a receiver that is still down.
   */
  admitRequested(endpointId: string, now: number): BreakerDecision {
    const entry = this.endpoints.get(endpointId);
    if (entry?.state === 'open') entry.openUntil = Math.min(entry.openUntil, now);
    return this.admit(endpointId, now);
  }

  /** The admitted call was not made after all (e.g. no slot): let the next caller probe instead. */
  abandon(endpointId: string): void {
    const entry = this.endpoints.get(endpointId);
    if (entry?.state === 'half_open') entry.probeInFlight = false;
  }

  record(endpointId: string, succeeded: boolean, now: number): void {
    if (succeeded) {
      this.endpoints.delete(endpointId);
      return;
    }
    const entry = this.endpoints.get(endpointId) ?? this.fresh(endpointId);
    entry.failures += 1;
    if (
      entry.state === 'half_open' ||
      (entry.state === 'closed' && entry.failures >= this.options.threshold)
    ) {
      entry.state = 'open';
      entry.openUntil = now + this.options.cooldownMs;
      entry.probeInFlight = false;
    }
  }

  stateOf(endpointId: string): BreakerState {
    return this.endpoints.get(endpointId)?.state ?? 'closed';
  }

  /** Number of endpoints per non-closed state, for the metrics gauge. */
  counts(): Record<BreakerState, number> {
    const counts: Record<BreakerState, number> = { closed: 0, open: 0, half_open: 0 };
    for (const entry of this.endpoints.values()) counts[entry.state] += 1;
    return counts;
  }

  /** Drops the state of an endpoint that no longer exists. */
  forget(endpointId: string): void {
    this.endpoints.delete(endpointId);
  }

  private fresh(endpointId: string): EndpointBreaker {
    const entry: EndpointBreaker = { state: 'closed', failures: 0, openUntil: 0, probeInFlight: false };
    this.endpoints.set(endpointId, entry);
    return entry;
  }
}
