import { describe, expect, it } from '@jest/globals';
import { retryAfterMs } from './retry-after.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('retryAfterMs', () => {
  it('reads delta-seconds on 429 and 503', () => {
    expect(retryAfterMs(429, '2', NOW)).toBe(2000);
    expect(retryAfterMs(503, ' 120 ', NOW)).toBe(120_000);
    expect(retryAfterMs(429, ['3', '9'], NOW)).toBe(3000);
  });

  it('reads an HTTP date', () => {
    expect(retryAfterMs(503, 'Thu, 01 Jan 2026 00:01:00 GMT', NOW)).toBe(60_000);
  });

  it('ignores other statuses, past dates, zero and garbage', () => {
    expect(retryAfterMs(500, '5', NOW)).toBeNull();
    expect(retryAfterMs(null, '5', NOW)).toBeNull();
    expect(retryAfterMs(429, undefined, NOW)).toBeNull();
    expect(retryAfterMs(429, '0', NOW)).toBeNull();
    expect(retryAfterMs(429, 'soon', NOW)).toBeNull();
    expect(retryAfterMs(429, 'Wed, 31 Dec 2025 00:00:00 GMT', NOW)).toBeNull();
  });
});
