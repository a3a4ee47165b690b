import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@codeplanet/service-kit';
import { loadSettings } from './env.js';

describe('scheduler settings', () => {
  it('gives production-like defaults and parses durations', () => {
    const settings = loadSettings({});
    expect(settings.env.PORT).toBe(3004);
    expect(settings.timings).toMatchObject({
      autoDisableAfterMs: 5 * 86_400_000,
      autoDisableWarnAfterMs: 3 * 86_400_000,
      stuckAfterMs: 10 * 60_000,
      retentionMs: 30 * 86_400_000,
      leaseCheckMs: 1_000,
      projectionLingerMs: 50,
    });
    expect(settings.adminToken).toBe('dev-admin-token');
  });

  it('accepts compressed time for tests', () => {
    const settings = loadSettings({
      AUTO_DISABLE_AFTER: '2s',
      AUTO_DISABLE_WARN_AFTER: '500ms',
      RETENTION_DAYS: '0.5',
    });
    expect(settings.timings.autoDisableAfterMs).toBe(2_000);
    expect(settings.timings.retentionMs).toBe(43_200_000);
  });

  it('fails naming each bad variable', () => {
    const problems = (env: Record<string, string>): string => {
      try {
        loadSettings(env);
        return '';
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
    };
    expect(problems({ STUCK_AFTER: 'soon', PORT: '99999' })).toMatch(
      /STUCK_AFTER=.*\n.*PORT=|PORT=.*\n.*STUCK_AFTER=/,
    );
    expect(problems({ AUTO_DISABLE_WARN_AFTER: '6d' })).toContain('AUTO_DISABLE_WARN_AFTER');
    expect(problems({ ADVISORY_GRACE: '5m' })).toContain('ADVISORY_GRACE');
    expect(problems({ PROJECTION_LINGER: '2s' })).toContain('PROJECTION_LINGER');
    expect(problems({ NODE_ENV: 'production' })).toContain('ADMIN_TOKEN');
  });
});
