import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { generateSecret, secretKey } from './secret.js';
import { signWebhook } from './sign.js';
import { verifyStandardWebhook, verifyWebhook } from './verify.js';

// The Standard Webhooks specification's published test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

/** Recomputes an HMAC with node:crypto directly, independent of the package's helpers. */
function hmac(secret: string, content: string, encoding: 'hex' | 'base64'): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return createHmac('sha256', key).update(content).digest(encoding);
}

describe('the Standard Webhooks test vector', () => {
  const headers = signWebhook({
    secrets: [VECTOR.secret],
    eventId: VECTOR.id,
    body: VECTOR.body,
    timestamp: VECTOR.timestamp,
  });

  it('signs to the published signature', () => {
    expect(headers['webhook-signature']).toBe(VECTOR.signature);
    expect(headers['webhook-id']).toBe(VECTOR.id);
    expect(headers['webhook-timestamp']).toBe('1614265330');
  });

  it('verifies the published headers', () => {
    const published = {
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    };
    expect(() =>
      verifyStandardWebhook({
        secret: VECTOR.secret,
        headers: published,
        body: VECTOR.body,
        now: VECTOR.timestamp,
      }),
    ).not.toThrow();
    expect(() =>
      verifyWebhook({ secret: VECTOR.secret, headers: published, body: VECTOR.body, now: VECTOR.timestamp }),
    ).not.toThrow();
  });

  it('accepts the secret without its whsec_ prefix, like the reference libraries', () => {
    const bare = signWebhook({
      secrets: [VECTOR.secret.slice('whsec_'.length)],
      eventId: VECTOR.id,
      body: VECTOR.body,
      timestamp: VECTOR.timestamp,
    });
    expect(bare['webhook-signature']).toBe(VECTOR.signature);
  });

  it('matches an independent node:crypto recomputation of both schemes', () => {
    const standard = hmac(VECTOR.secret, `${VECTOR.id}.${VECTOR.timestamp}.${VECTOR.body}`, 'base64');
    const codeplanet = hmac(VECTOR.secret, `${VECTOR.timestamp}.${VECTOR.body}`, 'hex');
    expect(headers['webhook-signature']).toBe(`v1,${standard}`);
    expect(headers['x-codeplanet-signature']).toBe(`v1=${codeplanet}`);
    expect(headers['x-codeplanet-timestamp']).toBe('1614265330');
  });
});

describe('signWebhook', () => {
  const body = JSON.stringify({
    id: 'evt_01JEX3M5V8Q2T9ZK7W4N6R1B3C',
    type: 'payment.completed',
    data: { amount: 1999 },
  });

  it('returns exactly the five signature headers', () => {
    const headers = signWebhook({
      secrets: [generateSecret()],
      eventId: 'evt_1',
      body,
      timestamp: 1_800_000_000,
    });
    expect(Object.keys(headers).sort()).toEqual([
      'webhook-id',
      'webhook-signature',
      'webhook-timestamp',
      'x-codeplanet-signature',
      'x-codeplanet-timestamp',
    ]);
    expect(headers['x-codeplanet-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('signs once per secret, space-separated, in order (rotation)', () => {
    const current = generateSecret();
    const old = generateSecret();
    const headers = signWebhook({
      secrets: [current, old],
      eventId: 'evt_1',
      body,
      timestamp: 1_800_000_000,
    });
    expect(headers['x-codeplanet-signature']).toBe(
      `v1=${hmac(current, `1800000000.${body}`, 'hex')} v1=${hmac(old, `1800000000.${body}`, 'hex')}`,
    );
    expect(headers['webhook-signature']).toBe(
      `v1,${hmac(current, `evt_1.1800000000.${body}`, 'base64')} v1,${hmac(old, `evt_1.1800000000.${body}`, 'base64')}`,
    );
  });

  it('signs bytes exactly like the same string', () => {
    const secret = generateSecret();
    const asString = signWebhook({ secrets: [secret], eventId: 'evt_1', body: 'héllo', timestamp: 1 });
    const asBytes = signWebhook({
      secrets: [secret],
      eventId: 'evt_1',
      body: Buffer.from('héllo'),
      timestamp: 1,
    });
    expect(asBytes).toEqual(asString);
  });

  it('defaults the timestamp to now, in seconds', () => {
    const headers = signWebhook({ secrets: [generateSecret()], eventId: 'evt_1', body });
    expect(Math.abs(Number(headers['x-codeplanet-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(headers['webhook-timestamp']).toBe(headers['x-codeplanet-timestamp']);
  });

  it('refuses bad input clearly', () => {
    expect(() => signWebhook({ secrets: [], eventId: 'evt_1', body })).toThrow('at least one secret');
    expect(() => signWebhook({ secrets: [generateSecret()], eventId: '', body })).toThrow('event id');
    expect(() =>
      signWebhook({ secrets: [generateSecret()], eventId: 'evt_1', body, timestamp: 1.5 }),
    ).toThrow('unix seconds');
    expect(() => signWebhook({ secrets: ['whsec_not base64!'], eventId: 'evt_1', body })).toThrow(TypeError);
  });
});

describe('generateSecret and secretKey', () => {
  it('makes whsec_ + base64 of 32 random bytes', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKey(secret)).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
  });

  it('rejects secrets that are not base64 of 24-64 bytes, without echoing them', () => {
    expect(() => secretKey('whsec_')).toThrow(TypeError);
    expect(() => secretKey('whsec_$$$$')).toThrow('base64');
    expect(() => secretKey(`whsec_${Buffer.alloc(8).toString('base64')}`)).toThrow('(this one has 8)');
    expect(() => secretKey(`whsec_${Buffer.alloc(65).toString('base64')}`)).toThrow('24-64 bytes');
    try {
      secretKey('whsec_topsecret!!');
    } catch (error) {
      expect((error as Error).message).not.toContain('topsecret');
    }
  });
});
