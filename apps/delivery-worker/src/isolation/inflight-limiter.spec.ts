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

describe('InflightLimiter waiting', () => {
  it('hands a released slot straight to the longest waiter', async () => {
    const limiter = new InflightLimiter(1, 2);
    expect(limiter.tryAcquire('ep_a')).toBe(true);
    const first = limiter.acquire('ep_a', 1000);
    const second = limiter.acquire('ep_a', 1000);
    expect(limiter.totalWaiting).toBe(2);
    limiter.release('ep_a');
    await expect(first).resolves.toBe(true);
    expect(limiter.inflightFor('ep_a')).toBe(1);
    limiter.release('ep_a');
    await expect(second).resolves.toBe(true);
    limiter.release('ep_a');
    expect(limiter.inflightFor('ep_a')).toBe(0);
    expect(limiter.totalWaiting).toBe(0);
  });

  it('gives up after the wait and refuses waiters beyond its bounds', async () => {
    const limiter = new InflightLimiter(1, 1, 1);
    limiter.tryAcquire('ep_a');
    limiter.tryAcquire('ep_b');
    const timedOut = limiter.acquire('ep_a', 20);
    await expect(limiter.acquire('ep_a', 1000)).resolves.toBe(false);
    await expect(limiter.acquire('ep_b', 1000)).resolves.toBe(false);
    await expect(limiter.acquire('ep_c', 1000)).resolves.toBe(true);
    await expect(timedOut).resolves.toBe(false);
    expect(limiter.totalWaiting).toBe(0);
    await expect(limiter.acquire('ep_a', 0)).resolves.toBe(false);
  });

  it('tells turning-over slots from stuck ones', () => {
    let now = 1000;
    const limiter = new InflightLimiter(2, 2, 10, () => now);
    expect(limiter.turnoverAgeMs('ep_a')).toBe(0);
    limiter.tryAcquire('ep_a');
    limiter.tryAcquire('ep_a');
    now = 1300;
    expect(limiter.turnoverAgeMs('ep_a')).toBe(300);
    limiter.release('ep_a');
    expect(limiter.turnoverAgeMs('ep_a')).toBe(0);
    expect(limiter.canQueue('ep_a')).toBe(true);
  });

  it('lets a queue grow only as far as the endpoint pace clears within the wait', () => {
    let now = 0;
    const limiter = new InflightLimiter(1, 100, 100, () => now);
    limiter.tryAcquire('ep_a');
    // Unknown pace: a few caps' worth may queue.
    for (let i = 0; i < 4; i += 1) void limiter.acquire('ep_a', 1000);
    expect(limiter.canQueue('ep_a', 1000)).toBe(false);
    // One slot freed every 50 ms at the cap: 20 per second.
    for (let i = 0; i < 6; i += 1) {
      now += 50;
      limiter.release('ep_a');
    }
    expect(limiter.expectedWaitMs('ep_a', 20)).toBeCloseTo(1000, -1);
    expect(limiter.canQueue('ep_a', 1000)).toBe(true);
    expect(limiter.canQueue('ep_a', 100)).toBe(true); // within one cap's worth
    for (let i = 0; i < 5; i += 1) void limiter.acquire('ep_a', 100_000);
    expect(limiter.canQueue('ep_a', 100)).toBe(false);
    limiter.close();
  });

  it('sends every waiter of a stuck endpoint away, and nobody queues after close()', async () => {
    const limiter = new InflightLimiter(1, 10, 10, Date.now, 30);
    limiter.tryAcquire('ep_a');
    const waiters = [limiter.acquire('ep_a', 10_000), limiter.acquire('ep_a', 10_000)];
    await expect(Promise.all(waiters)).resolves.toEqual([false, false]);
    expect(limiter.totalWaiting).toBe(0);
    limiter.tryAcquire('ep_b');
    const pending = limiter.acquire('ep_b', 10_000);
    limiter.close();
    await expect(pending).resolves.toBe(false);
    await expect(limiter.acquire('ep_b', 10_000)).resolves.toBe(false);
  });
});
