import { describe, expect, it } from '@jest/globals';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads every unit', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2h')).toBe(7_200_000);
  });
  it('rejects garbage', () => {
    expect(() => parseDuration('soon')).toThrow('not a duration');
  });
});
