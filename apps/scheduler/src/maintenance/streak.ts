export interface StreakFacts {
  firstFailureAt: Date | null;
  lastFailureAt: Date | null;
  lastSuccessAt: Date | null;
  /** When the endpoint was created or last re-enabled: failures before it do not count. */
  streakResetAt: Date;
}

export interface AlertState {
  warnedAt: Date | null;
  disabledAt: Date | null;
}

export interface StreakPolicy {
  warnAfterMs: number;
  disableAfterMs: number;
}

/**
 * When the current run of only-failures began, or null when the endpoint is not failing. A re-enable starts a new
 * streak: if failures went on across it, the streak counts from the re-enable.
 */
export function streakStart(facts: StreakFacts): Date | null {
  const { firstFailureAt, lastFailureAt, lastSuccessAt, streakResetAt } = facts;
  if (!firstFailureAt || !lastFailureAt) return null;
  if (lastSuccessAt && lastSuccessAt >= lastFailureAt) return null;
  if (lastFailureAt < streakResetAt) return null;
  return firstFailureAt < streakResetAt ? streakResetAt : firstFailureAt;
}

/** What auto-disable owes this streak now: the warning comes first (once), then the disable (once). */
export function dueActions(
  start: Date,
  now: Date,
  alert: AlertState | null,
  policy: StreakPolicy,
): { warn: boolean; disable: boolean } {
  const age = now.getTime() - start.getTime();
  const disable = age >= policy.disableAfterMs && !alert?.disabledAt;
  const warn = age >= policy.warnAfterMs && !alert?.warnedAt && !alert?.disabledAt;
  return { warn, disable };
}
