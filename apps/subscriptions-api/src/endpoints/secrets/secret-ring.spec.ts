import { describe, expect, it } from '@jest/globals';
import {
  MAX_OLD_SECRETS,
  ROTATION_OVERLAP_MS,
  currentSecret,
  newRing,
  pruneRing,
  reencryptRing,
  rotateRing,
  type SecretCipher,
} from './secret-ring.js';

const t0 = new Date('2026-12-04T12:00:00.000Z');
const later = (ms: number): Date => new Date(t0.getTime() + ms);
const HOUR = 60 * 60 * 1000;

describe('rotateRing', () => {
  it('puts the new secret first and gives the old one 24 h', () => {
    const ring = rotateRing(newRing('c1', t0), 'c2', later(HOUR));
    expect(ring).toEqual([
      { ciphertext: 'c2', created_at: later(HOUR).toISOString(), expires_at: null },
      {
        ciphertext: 'c1',
        created_at: t0.toISOString(),
        expires_at: later(HOUR + ROTATION_OVERLAP_MS).toISOString(),
      },
    ]);
  });

  it('keeps earlier expiries and drops expired secrets', () => {
    let ring = rotateRing(newRing('c1', t0), 'c2', t0); // c1 expires at t0 + 24h
    ring = rotateRing(ring, 'c3', later(HOUR)); // c2 expires at t0 + 25h, c1 keeps t0 + 24h
    expect(ring.map((s) => s.ciphertext)).toEqual(['c3', 'c2', 'c1']);
    expect(ring[2]!.expires_at).toBe(later(ROTATION_OVERLAP_MS).toISOString());
    ring = rotateRing(ring, 'c4', later(ROTATION_OVERLAP_MS)); // c1 has just expired
    expect(ring.map((s) => s.ciphertext)).toEqual(['c4', 'c3', 'c2']);
  });

  it(`keeps at most ${MAX_OLD_SECRETS} old secrets`, () => {
    let ring = newRing('c0', t0);
    for (let i = 1; i <= 6; i++) ring = rotateRing(ring, `c${i}`, later(i * 1000));
    expect(ring.map((s) => s.ciphertext)).toEqual(['c6', 'c5', 'c4', 'c3']);
  });
});

describe('pruneRing', () => {
  it('never drops the current secret', () => {
    expect(pruneRing(newRing('c1', t0), later(1000 * ROTATION_OVERLAP_MS))).toHaveLength(1);
    expect(pruneRing([], t0)).toEqual([]);
  });

  it('drops an old secret at its expiry instant', () => {
    const ring = rotateRing(newRing('c1', t0), 'c2', t0);
    expect(pruneRing(ring, later(ROTATION_OVERLAP_MS - 1))).toHaveLength(2);
    expect(pruneRing(ring, later(ROTATION_OVERLAP_MS))).toHaveLength(1);
  });
});

describe('encryption helpers', () => {
  // A toy cipher: "old:" marks text under a retired key.
  const cipher: SecretCipher = {
    encrypt: (plain) => `new:${plain}`,
    decrypt: (text) => text.slice(4),
    needsReencrypt: (text) => text.startsWith('old:'),
  };

  it('re-encrypts only secrets under a retired key', () => {
    const ring = [
      ...newRing('old:a', t0),
      { ciphertext: 'new:b', created_at: t0.toISOString(), expires_at: null },
    ];
    expect(reencryptRing(ring, cipher).map((s) => s.ciphertext)).toEqual(['new:a', 'new:b']);
  });

  it('reveals the current secret', () => {
    expect(currentSecret(rotateRing(newRing('new:a', t0), 'new:b', t0), cipher)).toBe('b');
    expect(() => currentSecret([], cipher)).toThrow(/no secret/);
  });
});
