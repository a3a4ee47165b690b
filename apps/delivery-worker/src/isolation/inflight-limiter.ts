/**
 * Caps concurrent HTTP requests per endpoint, so one slow receiver can hold at most `maxPerEndpoint` of the
 * worker's slots; everything else for it is deferred or failed fast by the caller.
 */
export class InflightLimiter {
  private readonly inflight = new Map<string, number>();
  private total = 0;

  constructor(readonly maxPerEndpoint: number) {
    if (!Number.isInteger(maxPerEndpoint) || maxPerEndpoint < 1) {
      throw new Error(`maxPerEndpoint must be a positive integer, got ${maxPerEndpoint}`);
    }
  }

  /** Takes a slot for the endpoint; false when it is at its cap. Every true must be paired with release(). */
  tryAcquire(endpointId: string): boolean {
    const current = this.inflight.get(endpointId) ?? 0;
    if (current >= this.maxPerEndpoint) return false;
    this.inflight.set(endpointId, current + 1);
    this.total += 1;
    return true;
  }

  release(endpointId: string): void {
    const current = this.inflight.get(endpointId) ?? 0;
    if (current <= 0) return;
    this.total -= 1;
    if (current === 1) this.inflight.delete(endpointId);
    else this.inflight.set(endpointId, current - 1);
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
}
