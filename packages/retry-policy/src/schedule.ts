import { parseDuration } from './duration.js';

/**
 * Parses a retry ladder such as `1m,5m,30m,2h,24h` (RETRY_SCHEDULE) into milliseconds: the delay before retry 1,
 * retry 2, and so on. Errors name the offending item and its position.
 */
export function parseSchedule(text: string): number[] {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new Error('RETRY_SCHEDULE is empty: expected comma-separated durations like 1m,5m,30m,2h,24h');
  }
  return text.split(',').map((raw, index) => {
    const item = raw.trim();
    let ms: number;
    try {
      ms = parseDuration(item);
    } catch {
      throw new Error(
        `RETRY_SCHEDULE item "${item}" (position ${index + 1}) is not a duration like 500ms, 30s, 5m, 2h or 1d`,
      );
    }
    if (ms < 1) {
      throw new Error(`RETRY_SCHEDULE item "${item}" (position ${index + 1}) must be at least 1ms`);
    }
    return ms;
  });
}
