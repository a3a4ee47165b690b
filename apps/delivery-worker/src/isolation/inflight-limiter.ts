interface Waiter {
  resolve(granted: boolean): void;
  timer: NodeJS.Timeout;
}

/**
 * Caps concurrent HTTP requests per endpoint, so one slow receiver can hold at most `maxPerEndpoint` of the
 * worker's slots. A caller may also wait briefly for a slot (`acquire`): a released slot goes straight to the
 * longest waiter. Waiting is bounded per endpoint and in total, so waiters never take the worker's concurrency.
 */
export class InflightLimiter {
  private readonly inflight = new Map<string, number>();
  private readonly waiters = new Map<string, Waiter[]>();
  /** When each endpoint last freed a slot, or became busy: tells turning-over slots from stuck ones. */
  private readonly turnover = new Map<string, number>();
  private total = 0;
  private waiting = 0;

  constructor(
    readonly maxPerEndpoint: number,
    private readonly maxWaitersPerEndpoint = maxPerEndpoint,
    private readonly maxWaitersTotal = Number.POSITIVE_INFINITY,
    private readonly clock: () => number = Date.now,
  ) {
    if (!Number.isInteger(maxPerEndpoint) || maxPerEndpoint < 1) {
      throw new Error(`maxPerEndpoint must be a positive integer, got ${maxPerEndpoint}`);
    }
  }

  /** Takes a slot for the endpoint; false when it is at its cap. Every true must be paired with release(). */
  tryAcquire(endpointId: string): boolean {
    const current = this.inflight.get(endpointId) ?? 0;
    if (current >= this.maxPerEndpoint) return false;
    if (current === 0) this.turnover.set(endpointId, this.clock());
    this.inflight.set(endpointId, current + 1);
    this.total += 1;
    return true;
  }

  /**
   * Takes a slot now, or waits up to `maxWaitMs` for one. False (at once) when the wait queues are full, or when
   * no slot was handed over in time.
   */
  acquire(endpointId: string, maxWaitMs: number): Promise<boolean> {
    if (this.tryAcquire(endpointId)) return Promise.resolve(true);
    if (maxWaitMs <= 0 || !this.canQueue(endpointId)) return Promise.resolve(false);
    const queue = this.waiters.get(endpointId) ?? [];
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          this.dropWaiter(endpointId, waiter);
          resolve(false);
        }, maxWaitMs),
      };
      queue.push(waiter);
      this.waiters.set(endpointId, queue);
      this.waiting += 1;
    });
  }

  release(endpointId: string): void {
    const current = this.inflight.get(endpointId) ?? 0;
    if (current <= 0) return;
    this.turnover.set(endpointId, this.clock());
    const next = this.waiters.get(endpointId)?.shift();
    if (next) {
      // Hand the slot over: the count stays, the waiter now owns it.
      this.waiting -= 1;
      if (this.waiters.get(endpointId)?.length === 0) this.waiters.delete(endpointId);
      clearTimeout(next.timer);
      next.resolve(true);
      return;
    }
    this.total -= 1;
    if (current === 1) {
      this.inflight.delete(endpointId);
      this.turnover.delete(endpointId);
    } else this.inflight.set(endpointId, current - 1);
  }

  /** Time since the endpoint last freed a slot (or became busy); 0 when it has none in use. */
  turnoverAgeMs(endpointId: string): number {
    const since = this.turnover.get(endpointId);
    return since === undefined ? 0 : this.clock() - since;
  }

  /** Whether one more caller may wait for this endpoint's next free slot. */
  canQueue(endpointId: string): boolean {
    const queued = this.waiters.get(endpointId)?.length ?? 0;
    return queued < this.maxWaitersPerEndpoint && this.waiting < this.maxWaitersTotal;
  }

  isFull(endpointId: string): boolean {
    return (this.inflight.get(endpointId) ?? 0) >= this.maxPerEndpoint;
  }

  inflightFor(endpointId: string): number {
    return this.inflight.get(endpointId) ?? 0;
  }

  get totalInflight(): number {
    return this.total;
  }

  get totalWaiting(): number {
    return this.waiting;
  }

  private dropWaiter(endpointId: string, waiter: Waiter): void {
    const queue = this.waiters.get(endpointId);
    const index = queue?.indexOf(waiter) ?? -1;
    if (!queue || index < 0) return;
    queue.splice(index, 1);
    this.waiting -= 1;
    if (queue.length === 0) this.waiters.delete(endpointId);
  }
}
