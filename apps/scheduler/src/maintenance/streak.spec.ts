import { describe, expect, it } from '@jest/globals';
import { dueActions, streakStart } from './streak.js';

const t = (minutes: number): Date => new Date(Date.UTC(2026, 0, 1, 0, minutes));
const policy = { warnAfterMs: 30 * 60_000, disableAfterMs: 60 * 60_000 };

describe('streakStart', () => {
  it('is the first failure since the last success', () => {
    expect(
      streakStart({ firstFailureAt: t(10), lastFailureAt: t(50), lastSuccessAt: t(5), streakResetAt: t(0) }),
    ).toEqual(t(10));
  });

  it('is null without failures or after a newer success', () => {
    expect(
      streakStart({ firstFailureAt: null, lastFailureAt: null, lastSuccessAt: t(5), streakResetAt: t(0) }),
    ).toBeNull();
    expect(
      streakStart({ firstFailureAt: t(1), lastFailureAt: t(2), lastSuccessAt: t(3), streakResetAt: t(0) }),
    ).toBeNull();
  });

  it('restarts at a re-enable: old failures alone do not count, ongoing ones count from the re-enable', () => {
    expect(
      streakStart({ firstFailureAt: t(1), lastFailureAt: t(20), lastSuccessAt: null, streakResetAt: t(30) }),
    ).toBeNull();
    expect(
      streakStart({ firstFailureAt: t(1), lastFailureAt: t(40), lastSuccessAt: null, streakResetAt: t(30) }),
    ).toEqual(t(30));
  });
});

describe('dueActions', () => {
  it('warns once after the warning delay', () => {
    expect(dueActions(t(0), t(20), null, policy)).toEqual({ warn: false, disable: false });
    expect(dueActions(t(0), t(31), null, policy)).toEqual({ warn: true, disable: false });
    expect(dueActions(t(0), t(45), { warnedAt: t(31), disabledAt: null }, policy)).toEqual({
      warn: false,
      disable: false,
    });
  });

  it('disables once, warning first when the warning was never sent', () => {
    expect(dueActions(t(0), t(61), { warnedAt: t(31), disabledAt: null }, policy)).toEqual({
      warn: false,
      disable: true,
    });
    expect(dueActions(t(0), t(90), null, policy)).toEqual({ warn: true, disable: true });
    expect(dueActions(t(0), t(90), { warnedAt: t(31), disabledAt: t(61) }, policy)).toEqual({
      warn: false,
      disable: false,
    });
  });
});
