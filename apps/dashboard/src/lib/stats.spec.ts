import { describe, expect, it } from '@jest/globals';
import { normalizeStats } from './stats.js';

describe('normalizeStats', () => {
  it('reads the nested latency shape and hourly counts', () => {
    const stats = normalizeStats({
      window: '24h',
      success_rate: 0.75,
      deliveries: 8,
      attempts: 11,
      latency_ms: { p50: 12, p95: 80, p99: 140 },
      hourly: [{ hour: '2026-12-04T14:00:00.000Z', succeeded: 3, failed: 1 }],
    });
    expect(stats).toEqual({
      successRate: 0.75,
      deliveries: 8,
      attempts: 11,
      window: '24h',
      latency: { p50: 12, p95: 80, p99: 140 },
      hourly: [{ hour: '2026-12-04T14:00:00.000Z', succeeded: 3, failed: 1 }],
    });
  });

  it('accepts flat percentile fields, a percentage and a data wrapper', () => {
    const stats = normalizeStats({ data: { success_rate: 50, total: 2, p50_ms: 5, p95_ms: 6, p99_ms: 7 } });
    expect(stats.successRate).toBe(0.5);
    expect(stats.deliveries).toBe(2);
    expect(stats.latency).toEqual({ p50: 5, p95: 6, p99: 7 });
  });

  it('reads counts given as breakdowns with a total', () => {
    const stats = normalizeStats({
      success_rate: 1,
      deliveries: { total: 3, succeeded: 3 },
      attempts: { total: 4, success_rate: 0.75 },
    });
    expect(stats.deliveries).toBe(3);
    expect(stats.attempts).toBe(4);
  });

  it('gives nulls, not zeros, for what is missing', () => {
    const stats = normalizeStats({ success_rate: null });
    expect(stats.successRate).toBeNull();
    expect(stats.latency.p99).toBeNull();
    expect(stats.hourly).toEqual([]);
    expect(normalizeStats('nonsense').attempts).toBeNull();
  });
});
