import { describe, expect, it } from '@jest/globals';
import { TokenBuckets } from './token-bucket.js';

describe('TokenBuckets', () => {
  it('allows a burst of the per-minute rate, then refuses with Retry-After', () => {
    const buckets = new TokenBuckets(60); // one token per second
    for (let i = 0; i < 60; i++) expect(buckets.take('k', 0).allowed).toBe(true);
    expect(buckets.take('k', 0)).toEqual({ allowed: false, retryAfterSeconds: 1, remaining: 0 });
  });

  it('refills continuously', () => {
    const buckets = new TokenBuckets(60);
    for (let i = 0; i < 60; i++) buckets.take('k', 0);
    expect(buckets.take('k', 999).allowed).toBe(false);
    expect(buckets.take('k', 1000).allowed).toBe(true);
    expect(buckets.take('k', 1000).allowed).toBe(false);
  });

  it('rounds Retry-After up to whole seconds', () => {
    const buckets = new TokenBuckets(2); // one token per 30 s
    buckets.take('k', 0);
    buckets.take('k', 0);
    expect(buckets.take('k', 10_000).retryAfterSeconds).toBe(20);
  });

  it('keeps keys apart', () => {
    const buckets = new TokenBuckets(1);
    expect(buckets.take('a', 0).allowed).toBe(true);
    expect(buckets.take('a', 0).allowed).toBe(false);
    expect(buckets.take('b', 0).allowed).toBe(true);
  });

  it('forgets idle keys', () => {
    const buckets = new TokenBuckets(600);
    for (let i = 0; i < 999; i++) buckets.take(`key-${i}`, 0);
    expect(buckets.size).toBe(999);
    buckets.take('late', 120_000); // the 1000th take sweeps full buckets
    expect(buckets.size).toBe(1);
  });

  it('rejects a non-positive rate', () => {
    expect(() => new TokenBuckets(0)).toThrow();
  });
});
