/**
 * Per-key token buckets: `ratePerMinute` tokens, refilled continuously, so a key may burst up to its minute's
 * allowance and then gets an even trickle. In memory and per process: N replicas allow N times the rate.
 */
export interface TakeResult {
  allowed: boolean;
  /** Whole seconds until one token is available again (0 when allowed). */
  retryAfterSeconds: number;
  remaining: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const SWEEP_EVERY = 1_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private takesSinceSweep = 0;

  constructor(private readonly ratePerMinute: number) {
    if (!(ratePerMinute > 0)) throw new Error('ratePerMinute must be positive');
    this.perMs = ratePerMinute / 60_000;
  }

  take(key: string, now: number = Date.now()): TakeResult {
    this.maybeSweep(now);
    const bucket = this.refill(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(bucket.tokens) };
    }
    const waitMs = (1 - bucket.tokens) / this.perMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), remaining: 0 };
  }

  get size(): number {
    return this.buckets.size;
  }

  private refill(key: string, now: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: this.ratePerMinute, updatedAt: now };
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(this.ratePerMinute, bucket.tokens + elapsed * this.perMs);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** A bucket that would be full again is the same as no bucket: forget it, so memory follows active keys. */
  private maybeSweep(now: number): void {
    if (++this.takesSinceSweep < SWEEP_EVERY) return;
    this.takesSinceSweep = 0;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.perMs >= this.ratePerMinute)
        this.buckets.delete(key);
    }
  }
}
