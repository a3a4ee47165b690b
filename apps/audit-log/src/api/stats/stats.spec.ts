import { describe, expect, it } from '@jest/globals';
import { hourlyBuckets, latencyFrom, parseWindow, rate } from './stats.js';

describe('stats arithmetic', () => {
  it('parses windows between 1 minute and 30 days', () => {
    expect(parseWindow()).toBe(24 * 3_600_000);
    expect(parseWindow('30m')).toBe(1_800_000);
    expect(parseWindow('7d')).toBe(7 * 86_400_000);
    expect(parseWindow('0m')).toBeUndefined();
    expect(parseWindow('31d')).toBeUndefined();
    expect(parseWindow('1w')).toBeUndefined();
  });

  it('rates are null without finished items and rounded otherwise', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(2, 1)).toBe(0.6667);
    expect(rate(5, 0)).toBe(1);
  });

  it('maps percentile_disc output, also when there were no attempts', () => {
    expect(latencyFrom([50, 95, 99])).toEqual({ p50: 50, p95: 95, p99: 99 });
    expect(latencyFrom(null)).toEqual({ p50: null, p95: null, p99: null });
    expect(latencyFrom([null, null, null])).toEqual({ p50: null, p95: null, p99: null });
  });

  it('gives 24 zero-filled hours ending with the current one', () => {
    const now = new Date('2026-12-04T15:42:00Z');
    const buckets = hourlyBuckets(now, [
      { hour: new Date('2026-12-04T15:00:00Z'), succeeded: 3, failed: 1 },
      { hour: '2026-12-03T16:00:00.000Z', succeeded: 1, failed: 0 },
    ]);
    expect(buckets).toHaveLength(24);
    expect(buckets[0]).toEqual({ hour: '2026-12-03T16:00:00.000Z', attempts: 1, succeeded: 1, failed: 0 });
    expect(buckets[23]).toEqual({ hour: '2026-12-04T15:00:00.000Z', attempts: 4, succeeded: 3, failed: 1 });
    expect(buckets[10]).toEqual({ hour: '2026-12-04T02:00:00.000Z', attempts: 0, succeeded: 0, failed: 0 });
  });
});
