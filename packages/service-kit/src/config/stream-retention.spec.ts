import { describe, expect, it } from '@jest/globals';
import { BaseEnv, retentionMsOf, streamRetentionOf } from './base-env.js';
import { parseDurationMs } from './duration.js';
import { ConfigError, loadConfig } from './load-config.js';

const DAY = 86_400_000;

function problems(env: Record<string, string>): string {
  try {
    loadConfig(BaseEnv, env);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

describe('retention env', () => {
  it('defaults to 30 days of attempts and 7 days of events', () => {
    const env = loadConfig(BaseEnv, {});
    expect(env.RETENTION_DAYS).toBe(30);
    expect(env.EVENTS_MAX_AGE).toBe('7d');
    expect(streamRetentionOf(env)).toEqual({ eventsMaxAgeMs: 7 * DAY, outcomesMaxAgeMs: 30 * DAY });
  });

  it('reads RETENTION_DAYS (fractions too) and EVENTS_MAX_AGE', () => {
    const env = loadConfig(BaseEnv, { RETENTION_DAYS: '2', EVENTS_MAX_AGE: '36h' });
    expect(streamRetentionOf(env)).toEqual({ eventsMaxAgeMs: 36 * 3_600_000, outcomesMaxAgeMs: 2 * DAY });
    expect(retentionMsOf(loadConfig(BaseEnv, { RETENTION_DAYS: '0.5' }))).toBe(DAY / 2);
  });

  it('refuses bad values, naming the variable', () => {
    for (const value of ['0', '-1', 'soon', '1/86401']) {
      expect(problems({ RETENTION_DAYS: value })).toContain('RETENTION_DAYS=');
    }
    for (const value of ['7', 'week', '500ms', '1d,2d']) {
      expect(problems({ EVENTS_MAX_AGE: value })).toContain('EVENTS_MAX_AGE=');
    }
    expect(problems({ RETENTION_DAYS: '0.5', EVENTS_MAX_AGE: '1s' })).toBe('');
  });
});

describe('parseDurationMs', () => {
  it('reads every unit and fractions', () => {
    expect(parseDurationMs('250ms')).toBe(250);
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('5m')).toBe(300_000);
    expect(parseDurationMs(' 2h ')).toBe(7_200_000);
    expect(parseDurationMs('1.5d')).toBe(1.5 * DAY);
    expect(parseDurationMs('2 weeks')).toBeUndefined();
  });
});
