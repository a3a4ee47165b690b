import { describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@codeplanet/event-schemas';
import {
  IDEMPOTENCY_TTL_MS,
  canonicalJson,
  decideIdempotency,
  idempotencyKeyProblem,
  requestHashOf,
  type StoredRequest,
} from './idempotency.js';

const now = new Date('2026-12-04T12:00:00.000Z');
const stored = (overrides: Partial<StoredRequest> = {}): StoredRequest => ({
  requestHash: 'h1',
  event: { id: 'evt_1' } as EventEnvelope,
  state: 'done',
  createdAt: new Date(now.getTime() - 1000),
  ...overrides,
});

describe('decideIdempotency', () => {
  it('treats an unknown key as new', () => {
    expect(decideIdempotency(null, 'h1', now)).toEqual({ kind: 'new' });
  });

  it('replays a finished request with the same hash', () => {
    const row = stored();
    expect(decideIdempotency(row, 'h1', now)).toEqual({ kind: 'replay', stored: row });
  });

  it('resumes a request whose publish was not confirmed', () => {
    const row = stored({ state: 'pending' });
    expect(decideIdempotency(row, 'h1', now)).toEqual({ kind: 'resume', stored: row });
  });

  it('refuses the same key with a different request', () => {
    expect(decideIdempotency(stored(), 'h2', now)).toEqual({ kind: 'reused' });
    expect(decideIdempotency(stored({ state: 'pending' }), 'h2', now)).toEqual({ kind: 'reused' });
  });

  it('forgets keys after 24 hours', () => {
    const old = stored({ createdAt: new Date(now.getTime() - IDEMPOTENCY_TTL_MS) });
    expect(decideIdempotency(old, 'h2', now)).toEqual({ kind: 'new' });
    const fresh = stored({ createdAt: new Date(now.getTime() - IDEMPOTENCY_TTL_MS + 1) });
    expect(decideIdempotency(fresh, 'h2', now)).toEqual({ kind: 'reused' });
  });
});

describe('requestHashOf', () => {
  it('ignores key order and undefined fields', () => {
    expect(requestHashOf({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(
      requestHashOf({ b: { d: 'x', c: [1, 2] }, a: 1, e: undefined }),
    );
  });

  it('tells different requests apart', () => {
    expect(requestHashOf({ a: 1 })).not.toBe(requestHashOf({ a: 2 }));
    expect(requestHashOf({ a: [1, 2] })).not.toBe(requestHashOf({ a: [2, 1] }));
    expect(requestHashOf({ a: '1' })).not.toBe(requestHashOf({ a: 1 }));
    expect(requestHashOf(null)).not.toBe(requestHashOf({}));
  });

  it('is a sha256 hex digest of canonical JSON', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'] })).toBe('{"a":[true,null,"x"],"b":1}');
    expect(requestHashOf({})).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('idempotencyKeyProblem', () => {
  it.each(['abc', 'order-123_retry:1', 'a'.repeat(255), '550e8400-e29b-41d4-a716-446655440000'])(
    'accepts %s',
    (key) => {
      expect(idempotencyKeyProblem(key)).toBeNull();
    },
  );

  it.each(['', 'a'.repeat(256), 'has space', 'tab\tkey', 'ünïcode'])('rejects %j', (key) => {
    expect(idempotencyKeyProblem(key)).not.toBeNull();
  });
});
