import { describe, expect, it } from '@jest/globals';
import { DeferralPlanner } from './deferral-planner.js';

describe('DeferralPlanner', () => {
  it('doubles per redelivery up to the maximum', () => {
    const planner = new DeferralPlanner({ minDelayMs: 100, maxDelayMs: 5000 }, () => 0.5);
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((d) => planner.delayFor(d))).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });

  it('jitters by ±25% and never returns 0 (a plain nak)', () => {
    const low = new DeferralPlanner({ minDelayMs: 100, maxDelayMs: 5000 }, () => 0);
    const high = new DeferralPlanner({ minDelayMs: 100, maxDelayMs: 5000 }, () => 0.999);
    expect(low.delayFor(1)).toBe(75);
    expect(high.delayFor(1)).toBe(125);
    expect(new DeferralPlanner({ minDelayMs: 0, maxDelayMs: 0 }).delayFor(1)).toBe(1);
  });
});
