import { describe, expect, it } from '@jest/globals';
import { WebhookVerificationError, type WebhookVerificationErrorCode } from './errors.js';
import type { HeaderSource } from './headers.js';
import { generateSecret } from './secret.js';
import { signWebhook } from './sign.js';
import {
  verifyCodeplanetSignature,
  verifyStandardWebhook,
  verifyWebhook,
  type VerifyWebhookOptions,
} from './verify.js';

const NOW = 1_800_000_000;
const SECRET = generateSecret();
const BODY = '{"id":"evt_01JEX3M5V8Q2T9ZK7W4N6R1B3C","type":"payment.completed","data":{"amount":1999}}';
const SIGNED = signWebhook({
  secrets: [SECRET],
  eventId: 'evt_01JEX3M5V8Q2T9ZK7W4N6R1B3C',
  body: BODY,
  timestamp: NOW,
});

function pick(headers: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith(prefix)));
}
const CODEPLANET_ONLY = pick(SIGNED, 'x-codeplanet-');
const STANDARD_ONLY = pick(SIGNED, 'webhook-');

function failure(fn: () => void): WebhookVerificationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error;
    throw error;
  }
  throw new Error('expected a WebhookVerificationError');
}

function expectCode(
  options: Partial<VerifyWebhookOptions>,
  code: WebhookVerificationErrorCode,
  verify = verifyWebhook,
) {
  const error = failure(() => verify({ secret: SECRET, headers: SIGNED, body: BODY, now: NOW, ...options }));
  expect(error.code).toBe(code);
  expect(error.name).toBe('WebhookVerificationError');
  return error;
}

describe('verifyWebhook: valid deliveries', () => {
  it('accepts both header sets together, or either alone', () => {
    for (const headers of [SIGNED, CODEPLANET_ONLY, STANDARD_ONLY]) {
      expect(() => verifyWebhook({ secret: SECRET, headers, body: BODY, now: NOW })).not.toThrow();
    }
  });

  it('looks headers up case-insensitively, in plain objects and Headers', () => {
    const shouting = Object.fromEntries(Object.entries(SIGNED).map(([k, v]) => [k.toUpperCase(), v]));
    const mixed = Object.fromEntries(
      Object.entries(SIGNED).map(([k, v]) => [k.replace(/^./, (c) => c.toUpperCase()), v]),
    );
    for (const headers of [shouting, mixed, new Headers(SIGNED)] as HeaderSource[]) {
      expect(() => verifyWebhook({ secret: SECRET, headers, body: BODY, now: NOW })).not.toThrow();
    }
  });

  it('accepts the raw body as bytes', () => {
    expect(() =>
      verifyWebhook({ secret: SECRET, headers: SIGNED, body: Buffer.from(BODY), now: NOW }),
    ).not.toThrow();
  });

  it('accepts if any listed signature matches (rotated secrets)', () => {
    const oldSecret = generateSecret();
    const headers = signWebhook({
      secrets: [generateSecret(), oldSecret],
      eventId: 'evt_1',
      body: BODY,
      timestamp: NOW,
    });
    expect(() => verifyWebhook({ secret: oldSecret, headers, body: BODY, now: NOW })).not.toThrow();
  });

  it('accepts if any of several receiver secrets matches', () => {
    expect(() =>
      verifyWebhook({ secret: [generateSecret(), SECRET], headers: SIGNED, body: BODY, now: NOW }),
    ).not.toThrow();
  });

  it('skips signature entries of unknown versions and joins repeated headers', () => {
    const headers = {
      ...SIGNED,
      'x-codeplanet-signature': `v0=abc v2=${'0'.repeat(64)} ${SIGNED['x-codeplanet-signature']}`,
      'webhook-signature': ['v1a,c29tZQ==', SIGNED['webhook-signature'] as string],
    };
    expect(() => verifyWebhook({ secret: SECRET, headers, body: BODY, now: NOW })).not.toThrow();
  });

  it('takes now as a Date, unix seconds or epoch milliseconds', () => {
    for (const now of [new Date(NOW * 1000), NOW, NOW * 1000]) {
      expect(() => verifyWebhook({ secret: SECRET, headers: SIGNED, body: BODY, now })).not.toThrow();
    }
  });

  it('uses the real clock by default', () => {
    const headers = signWebhook({ secrets: [SECRET], eventId: 'evt_1', body: BODY });
    expect(() => verifyWebhook({ secret: SECRET, headers, body: BODY })).not.toThrow();
  });
});

describe('verifyWebhook: the replay window', () => {
  it.each([
    [-300, null],
    [300, null],
    [301, 'timestamp_too_old'],
    [-301, 'timestamp_too_new'],
    [86_400, 'timestamp_too_old'],
  ] as const)('a delivery signed %i s from now -> %s', (offset, code) => {
    const now = NOW + offset;
    if (code === null)
      expect(() => verifyWebhook({ secret: SECRET, headers: SIGNED, body: BODY, now })).not.toThrow();
    else expectCode({ now }, code);
  });

  it('checks the window on each header set', () => {
    expectCode({ headers: CODEPLANET_ONLY, now: NOW + 301 }, 'timestamp_too_old');
    expectCode({ headers: STANDARD_ONLY, now: NOW - 301 }, 'timestamp_too_new');
  });

  it('honours toleranceSeconds', () => {
    expectCode({ now: NOW + 61, toleranceSeconds: 60 }, 'timestamp_too_old');
    expect(() =>
      verifyWebhook({ secret: SECRET, headers: SIGNED, body: BODY, now: NOW + 3000, toleranceSeconds: 3600 }),
    ).not.toThrow();
  });

  it('explains the failure', () => {
    expect(expectCode({ now: NOW + 400 }, 'timestamp_too_old').message).toContain('400 s old');
    expect(expectCode({ now: NOW - 400 }, 'timestamp_too_new').message).toContain('400 s in the future');
  });

  it('rejects a timestamp that is not unix seconds', () => {
    expectCode(
      { headers: { ...CODEPLANET_ONLY, 'x-codeplanet-timestamp': '2026-12-04T15:00:00Z' } },
      'invalid_timestamp',
    );
    expectCode({ headers: { ...STANDARD_ONLY, 'webhook-timestamp': '1.8e9' } }, 'invalid_timestamp');
  });

  it('cannot be bypassed by re-signing an old body with a fresh timestamp header', () => {
    const headers = {
      ...SIGNED,
      'x-codeplanet-timestamp': String(NOW + 1000),
      'webhook-timestamp': String(NOW + 1000),
    };
    expectCode({ headers, now: NOW + 1000 }, 'signature_mismatch');
  });
});

describe('verifyWebhook: forged or broken deliveries', () => {
  it('rejects a tampered body', () => {
    expectCode({ body: BODY.replace('1999', '1') }, 'signature_mismatch');
    expectCode({ body: `${BODY}\n` }, 'signature_mismatch');
    expectCode({ body: BODY.replace('1999', '1'), headers: STANDARD_ONLY }, 'signature_mismatch');
  });

  it('rejects the wrong secret', () => {
    const error = expectCode({ secret: generateSecret() }, 'signature_mismatch');
    expect(error.message).toContain('raw body');
  });

  it('rejects a different webhook-id (it is signed)', () => {
    expectCode({ headers: { ...STANDARD_ONLY, 'webhook-id': 'evt_other' } }, 'signature_mismatch');
  });

  it('requires every present header set to verify', () => {
    const broken = { ...SIGNED, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}` };
    expectCode({ headers: broken }, 'signature_mismatch');
    expect(() =>
      verifyCodeplanetSignature({ secret: SECRET, headers: broken, body: BODY, now: NOW }),
    ).not.toThrow();
  });

  it('needs at least one header set', () => {
    const error = expectCode({ headers: { 'content-type': 'application/json' } }, 'missing_headers');
    expect(error.message).toContain('x-codeplanet-signature');
    expect(error.message).toContain('webhook-signature');
  });

  it('names a missing header of a partial set', () => {
    const { 'webhook-id': _id, ...noId } = STANDARD_ONLY;
    expect(expectCode({ headers: noId }, 'missing_headers').message).toBe('missing webhook-id header');
    const { 'x-codeplanet-timestamp': _ts, ...noTimestamp } = CODEPLANET_ONLY;
    expect(expectCode({ headers: noTimestamp }, 'missing_headers').message).toBe(
      'missing x-codeplanet-timestamp header',
    );
  });

  it('rejects signature headers without a usable v1 entry (and never crashes on odd lengths)', () => {
    for (const value of ['', 'v1=', 'v1=abcd', 'sha256=' + 'a'.repeat(64), 'v1=' + 'z'.repeat(64)]) {
      const code = value === '' ? 'missing_headers' : 'invalid_signature_header';
      expectCode({ headers: { ...CODEPLANET_ONLY, 'x-codeplanet-signature': value } }, code);
    }
    for (const value of ['v1,abcd', 'v1,' + 'A'.repeat(44), 'v1=' + 'A'.repeat(43) + '=']) {
      expectCode({ headers: { ...STANDARD_ONLY, 'webhook-signature': value } }, 'invalid_signature_header');
    }
  });

  it('runs each verifier only on its own headers', () => {
    expectCode({ headers: STANDARD_ONLY }, 'missing_headers', verifyCodeplanetSignature);
    expectCode({ headers: CODEPLANET_ONLY }, 'missing_headers', verifyStandardWebhook);
  });

  it('treats a bad secret as a configuration error, not a bad request', () => {
    expect(() => verifyWebhook({ secret: 'whsec_???', headers: SIGNED, body: BODY, now: NOW })).toThrow(
      TypeError,
    );
    expect(() => verifyWebhook({ secret: [], headers: SIGNED, body: BODY, now: NOW })).toThrow(TypeError);
  });
});
