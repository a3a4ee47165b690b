import { describe, expect, it } from '@jest/globals';
import { parseSchedule } from './schedule.js';

describe('parseSchedule', () => {
  it('reads the contract ladder', () => {
    expect(parseSchedule('1m,5m,30m,2h,24h')).toEqual([60_000, 300_000, 1_800_000, 7_200_000, 86_400_000]);
  });

  it('reads compressed test ladders and tolerates spaces', () => {
    expect(parseSchedule('50ms, 100ms')).toEqual([50, 100]);
    expect(parseSchedule(' 1s ,1.5s ')).toEqual([1_000, 1_500]);
    expect(parseSchedule('1d')).toEqual([86_400_000]);
  });

  it.each([
    ['1m,5x,30m', 'RETRY_SCHEDULE item "5x" (position 2) is not a duration'],
    ['1m,,5m', 'RETRY_SCHEDULE item "" (position 2)'],
    ['1m,', 'RETRY_SCHEDULE item "" (position 2)'],
    ['-5s', 'RETRY_SCHEDULE item "-5s" (position 1)'],
    ['60', 'RETRY_SCHEDULE item "60" (position 1)'],
    ['0s,1m', 'RETRY_SCHEDULE item "0s" (position 1) must be at least 1ms'],
    ['', 'RETRY_SCHEDULE is empty'],
    ['  ', 'RETRY_SCHEDULE is empty'],
  ])('rejects %p naming the item', (text, message) => {
    expect(() => parseSchedule(text)).toThrow(message);
  });
});
