import { describe, expect, it } from '@jest/globals';
import { InflightLimiter } from './inflight-limiter.js';

describe('InflightLimiter', () => {
  it('caps each endpoint independently', () => {
    const limiter = new InflightLimiter(2);
    expect(limiter.tryAcquire('ep_a')).toBe(true);
    expect(limiter.tryAcquire('ep_a')).toBe(true);
    expect(limiter.tryAcquire('ep_a')).toBe(false);
    expect(limiter.tryAcquire('ep_b')).toBe(true);
    expect(limiter.totalInflight).toBe(3);
  });

  it('frees a slot on release and ignores releases without a slot', () => {
    const limiter = new InflightLimiter(1);
    expect(limiter.tryAcquire('ep_a')).toBe(true);
    limiter.release('ep_a');
    limiter.release('ep_a');
    expect(limiter.inflightFor('ep_a')).toBe(0);
    expect(limiter.totalInflight).toBe(0);
    expect(limiter.tryAcquire('ep_a')).toBe(true);
  });

  it('rejects a nonsensical cap', () => {
    expect(() => new InflightLimiter(0)).toThrow('positive integer');
  });
});
