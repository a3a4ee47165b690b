import { describe, expect, it } from '@jest/globals';
import { purgeWindow } from './retention.job.js';

const DAY = 86_400_000;
const at = (iso: string): Date => new Date(iso);

describe('purgeWindow', () => {
  it('is one UTC day: every run that day asks for the same cutoff, RETENTION_DAYS before the day began', () => {
    const morning = purgeWindow(at('2031-03-10T00:00:00Z'), 30 * DAY);
    const night = purgeWindow(at('2031-03-10T23:59:59.999Z'), 30 * DAY);
    expect(morning).toEqual({
      windowStart: at('2031-03-10T00:00:00Z'),
      purgeBefore: at('2031-02-08T00:00:00Z'),
    });
    expect(night).toEqual(morning);
    expect(purgeWindow(at('2031-03-11T00:00:00Z'), 30 * DAY).purgeBefore).toEqual(at('2031-02-09T00:00:00Z'));
  });

  it('is RETENTION_DAYS long when that is under a day (compressed time)', () => {
    const half = purgeWindow(at('2031-03-10T13:00:00Z'), DAY / 2);
    expect(half).toEqual({
      windowStart: at('2031-03-10T12:00:00Z'),
      purgeBefore: at('2031-03-10T00:00:00Z'),
    });
  });

  it('never asks for anything younger than RETENTION_DAYS', () => {
    for (const now of ['2031-03-10T00:00:01Z', '2031-03-10T18:30:00Z']) {
      const { purgeBefore } = purgeWindow(at(now), 2 * DAY);
      expect(at(now).getTime() - purgeBefore.getTime()).toBeGreaterThanOrEqual(2 * DAY);
    }
  });
});
