import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@codeplanet/service-kit';
import { loadWorkerSettings } from './worker-env.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadWorkerSettings(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadWorkerSettings', () => {
  it('gives a working local configuration with no env at all', () => {
    const settings = loadWorkerSettings({});
    expect(settings.port).toBe(3003);
    expect(settings.production).toBe(false);
    expect(settings.policy.ladderMs).toEqual([60_000, 300_000, 1_800_000, 7_200_000, 86_400_000]);
    expect(settings.deliveryTimeoutMs).toBe(30_000);
    expect(settings.firstAttemptAckWaitMs).toBeGreaterThan(settings.deliveryTimeoutMs);
    expect(settings.retryAfterMaxMs).toBe(86_400_000);
    expect(settings.env.ENDPOINT_MAX_IN_FLIGHT).toBe(16);
    expect(settings.env.ORIGIN_MAX_CONNECTIONS).toBeGreaterThan(settings.env.ENDPOINT_MAX_IN_FLIGHT);
    expect(settings.egressIps).toEqual([]);
  });

  it('reads the worker knobs', () => {
    const settings = loadWorkerSettings({
      PORT: '4000',
      RETRY_SCHEDULE: '100ms,200ms',
      DELIVERY_TIMEOUT: '2s',
      EGRESS_IPS: '10.0.0.1, 10.0.0.2',
      BREAKER_COOLDOWN: '5s',
      RETRY_AFTER_MAX: '1h',
      WORKER_CONCURRENCY: '32',
      ENDPOINT_SLOT_WAIT: '0ms',
    });
    expect(settings.port).toBe(4000);
    expect(settings.policy.maxAttempts).toBe(3);
    expect(settings.deliveryTimeoutMs).toBe(2000);
    expect(settings.firstAttemptAckWaitMs).toBe(7000);
    expect(settings.egressIps).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(settings.breakerCooldownMs).toBe(5000);
    expect(settings.retryAfterMaxMs).toBe(3_600_000);
    expect(settings.env.WORKER_CONCURRENCY).toBe(32);
    expect(settings.slotWaitMs).toBe(0);
  });

  it('fails naming each bad variable', () => {
    const problems = problemsOf({
      WORKER_CONCURRENCY: 'many',
      BREAKER_COOLDOWN: 'later',
      EGRESS_IPS: 'not-an-ip',
      RETRY_SCHEDULE: '1m,soon',
    });
    const text = problems.join('\n');
    expect(text).toContain('WORKER_CONCURRENCY');
    expect(text).toContain('BREAKER_COOLDOWN');
    expect(text).toContain('RETRY_SCHEDULE');
  });

  it('names an egress address that is not an IP', () => {
    expect(problemsOf({ EGRESS_IPS: '10.0.0.1,nope' }).join('\n')).toContain('EGRESS_IPS');
  });

  it('requires its own keyring in production and never echoes key material', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).join('\n')).toContain('SECRETS_ENCRYPTION_KEYS');
    const bad = problemsOf({ SECRETS_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' }).join('\n');
    expect(bad).toContain('SECRETS_ENCRYPTION_KEYS');
    expect(bad).not.toContain('c2hvcnQ');
  });
});
