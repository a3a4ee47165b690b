import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@codeplanet/service-kit';
import { DEV_SECRETS_KEYRING } from '@codeplanet/signer';
import { loadSettings } from './env.js';

const KEYRING = 'k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadSettings(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadSettings', () => {
  it('gives a working local system from an empty env', () => {
    const settings = loadSettings({});
    expect(settings.env.PORT).toBe(3001);
    expect(settings.env.MAX_ENDPOINTS_PER_ACCOUNT).toBe(20);
    expect(settings.env.RATE_LIMIT_PER_MINUTE).toBe(600);
    expect(settings.production).toBe(false);
    expect(settings.adminToken).toBe('dev-admin-token');
    expect(settings.secretsKeyring).toBe(DEV_SECRETS_KEYRING);
    expect(settings.serviceTokens).toEqual([]);
    expect(settings.egressIps).toEqual([]);
  });

  it('reads numbers, lists and tokens', () => {
    const settings = loadSettings({
      PORT: '4001',
      MAX_ENDPOINTS_PER_ACCOUNT: '3',
      RATE_LIMIT_PER_MINUTE: '60',
      SERVICE_TOKENS: ' producer-token-aaaaaaaa , producer-token-bbbbbbbb ',
      EGRESS_IPS: '34.120.1.1,35.230.2.2',
    });
    expect(settings.env.PORT).toBe(4001);
    expect(settings.env.MAX_ENDPOINTS_PER_ACCOUNT).toBe(3);
    expect(settings.serviceTokens).toEqual(['producer-token-aaaaaaaa', 'producer-token-bbbbbbbb']);
    expect(settings.egressIps).toEqual(['34.120.1.1', '35.230.2.2']);
  });

  it.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['MAX_ENDPOINTS_PER_ACCOUNT', { MAX_ENDPOINTS_PER_ACCOUNT: '0' }],
    ['RATE_LIMIT_PER_MINUTE', { RATE_LIMIT_PER_MINUTE: '1.5' }],
    ['SERVICE_TOKENS', { SERVICE_TOKENS: 'short' }],
    ['SECRETS_ENCRYPTION_KEYS', { SECRETS_ENCRYPTION_KEYS: 'not-a-keyring' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
  ])('fails naming %s', (name, env) => {
    const problems = problemsOf(env);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain(name);
  });

  it('requires the admin token and the keyring in production, without echoing secrets', () => {
    const problems = problemsOf({ NODE_ENV: 'production' }).join('\n');
    expect(problems).toContain('ADMIN_TOKEN');
    expect(problems).toContain('SECRETS_ENCRYPTION_KEYS');
    const bad = problemsOf({
      NODE_ENV: 'production',
      ADMIN_TOKEN: 'x',
      SECRETS_ENCRYPTION_KEYS: 'k1:c2VjcmV0',
    }).join('\n');
    expect(bad).toContain('SECRETS_ENCRYPTION_KEYS');
    expect(bad).not.toContain('c2VjcmV0');
    const settings = loadSettings({
      NODE_ENV: 'production',
      ADMIN_TOKEN: 'prod-admin',
      SECRETS_ENCRYPTION_KEYS: KEYRING,
    });
    expect(settings.production).toBe(true);
    expect(settings.secretsKeyring).toBe(KEYRING);
  });
});
