import { describe, expect, it } from '@jest/globals';
import { ROTATION_OVERLAP_MS, type SecretCipher } from './secrets/secret-ring.js';
import {
  changedFields,
  created,
  deleted,
  normalizeFilter,
  patched,
  secretRotated,
} from './endpoint-state.js';

const t0 = new Date('2026-12-04T12:00:00.000Z');
const at = (ms: number): Date => new Date(t0.getTime() + ms);
const cipher: SecretCipher = {
  encrypt: (plain) => `new:${plain}`,
  decrypt: (text) => text.slice(4),
  needsReencrypt: (text) => text.startsWith('old:'),
};
const base = created(
  {
    id: 'ep_1',
    accountId: 'acct_1',
    url: 'https://hooks.example.com/',
    events: ['payment.completed'],
    description: null,
    enabled: true,
    secretCiphertext: 'old:s1',
  },
  t0,
).state;

describe('endpoint transitions', () => {
  it('creates version 1 with one current secret', () => {
    expect(base).toMatchObject({
      version: 1,
      enabled: true,
      disabled_reason: null,
      created_at: t0.toISOString(),
    });
    expect(base.secrets).toEqual([{ ciphertext: 'old:s1', created_at: t0.toISOString(), expires_at: null }]);
    const off = created(
      { ...base, accountId: 'acct_1', events: ['*'], secretCiphertext: 'c', enabled: false },
      t0,
    ).state;
    expect(off.disabled_reason).toBe('manual');
  });

  it('returns null for a patch that changes nothing', () => {
    expect(patched(base, {}, cipher, t0)).toBeNull();
    expect(
      patched(
        base,
        { url: base.url, events: ['payment.completed'], enabled: true, description: null },
        cipher,
        t0,
      ),
    ).toBeNull();
  });

  it('classifies a patch by what it changes', () => {
    expect(patched(base, { enabled: false }, cipher, at(1))).toMatchObject({
      type: 'endpoint.disabled',
      state: { enabled: false, disabled_reason: 'manual', version: 2 },
    });
    const disabled = patched(base, { enabled: false }, cipher, at(1))!.state;
    expect(patched(disabled, { enabled: true }, cipher, at(2))).toMatchObject({
      type: 'endpoint.enabled',
      state: { enabled: true, disabled_reason: null, version: 3 },
    });
    expect(patched(base, { description: 'x', enabled: false }, cipher, at(1))!.type).toBe('endpoint.updated');
    expect(patched(base, { events: ['*', 'payment.failed'] }, cipher, at(1))!.state.events).toEqual(['*']);
  });

  it('re-encrypts and prunes secrets on every change', () => {
    const next = patched(base, { description: 'x' }, cipher, at(1))!.state;
    expect(next.secrets.map((s) => s.ciphertext)).toEqual(['new:s1']);
    expect(next.updated_at).toBe(at(1).toISOString());
    const rotated = secretRotated(next, 'new:s2', cipher, at(2)).state;
    const later = patched(rotated, { description: 'y' }, cipher, at(2 + ROTATION_OVERLAP_MS))!.state;
    expect(later.secrets.map((s) => s.ciphertext)).toEqual(['new:s2']);
  });

  it('rotates with a 24 h overlap', () => {
    const rotated = secretRotated(base, 'new:s2', cipher, at(5));
    expect(rotated.type).toBe('endpoint.secret_rotated');
    expect(rotated.state.version).toBe(2);
    expect(rotated.state.secrets.map((s) => [s.ciphertext, s.expires_at])).toEqual([
      ['new:s2', null],
      ['new:s1', at(5 + ROTATION_OVERLAP_MS).toISOString()],
    ]);
  });

  it('deletes with a final snapshot without secrets', () => {
    expect(deleted(base, at(9))).toMatchObject({
      type: 'endpoint.deleted',
      state: { version: 2, enabled: false, secrets: [] },
    });
  });

  it('names the fields a change touched', () => {
    const next = patched(base, { description: 'x', events: ['*'] }, cipher, at(1))!.state;
    expect(changedFields(base, next)).toEqual(['events', 'description']);
  });

  it('normalises filters', () => {
    expect(normalizeFilter(['a', 'b', 'a'])).toEqual(['a', 'b']);
    expect(normalizeFilter(['*'])).toEqual(['*']);
  });
});
