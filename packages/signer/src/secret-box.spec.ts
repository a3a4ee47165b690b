import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { parseKeyring } from './keyring.js';
import { createSecretBox, DEV_SECRETS_KEYRING, generateKeyringKey } from './secret-box.js';

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** Flips one bit of one base64url part of a ciphertext. */
function tamper(ciphertext: string, part: number): string {
  const parts = ciphertext.split('.');
  const bytes = Buffer.from(parts[part] as string, 'base64url');
  bytes[0] = (bytes[0] as number) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('createSecretBox', () => {
  const box = createSecretBox(`k2:${KEY_A}`);

  it('round-trips a secret', () => {
    expect(box.decrypt(box.encrypt(SECRET))).toBe(SECRET);
    expect(box.decrypt(box.encrypt(''))).toBe('');
    expect(box.decrypt(box.encrypt('ünïcødé ✓'))).toBe('ünïcødé ✓');
  });

  it('writes v1.<kid>.<iv>.<tag>.<ct> in base64url with a 12-byte IV and a 16-byte tag', () => {
    const ciphertext = box.encrypt(SECRET);
    const [version, kid, iv, tag, ct] = ciphertext.split('.');
    expect(version).toBe('v1');
    expect(kid).toBe('k2');
    expect(Buffer.from(iv as string, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag as string, 'base64url')).toHaveLength(16);
    expect(Buffer.from(ct as string, 'base64url')).toHaveLength(Buffer.byteLength(SECRET));
    expect(ciphertext).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(ciphertext).not.toContain(SECRET.slice(6));
  });

  it('uses a random IV: the same plaintext never encrypts the same way twice', () => {
    const ivs = new Set(Array.from({ length: 20 }, () => box.encrypt(SECRET).split('.')[2]));
    expect(ivs.size).toBe(20);
  });

  it('exposes the encrypting key id', () => {
    expect(box.currentKeyId).toBe('k2');
  });

  describe('tamper detection', () => {
    const ciphertext = box.encrypt(SECRET);

    it.each([
      [2, 'the IV'],
      [3, 'the tag'],
      [4, 'the ciphertext'],
    ])('fails when part %i (%s) changes', (part) => {
      expect(() => box.decrypt(tamper(ciphertext, part))).toThrow('authentication failed');
    });

    it('fails when a ciphertext is relabelled with another key id (the kid is authenticated)', () => {
      const ring = createSecretBox(`k2:${KEY_A},k1:${KEY_A}`);
      const relabelled = ring.encrypt(SECRET).replace('v1.k2.', 'v1.k1.');
      expect(() => ring.decrypt(relabelled)).toThrow('authentication failed');
    });

    it('fails with another key under the same id', () => {
      expect(() => createSecretBox(`k2:${KEY_B}`).decrypt(ciphertext)).toThrow('authentication failed');
    });

    it.each(['', 'plain', 'v2.k2.a.b.c', 'v1.k2.AAAA.AAAA.AAAA', 'v1..x.y.z', 'v1.k2.a.b'])(
      'rejects malformed %p',
      (bad) => {
        expect(() => box.decrypt(bad)).toThrow('not a secret-box ciphertext');
      },
    );
  });
});

describe('key rotation', () => {
  const oldBox = createSecretBox(`old:${KEY_A}`);
  const rotated = createSecretBox(`new:${KEY_B},old:${KEY_A}`);
  const oldCiphertext = oldBox.encrypt(SECRET);

  it('encrypts with the first key and decrypts with any', () => {
    expect(rotated.encrypt(SECRET).split('.')[1]).toBe('new');
    expect(rotated.decrypt(oldCiphertext)).toBe(SECRET);
  });

  it('flags ciphertexts made with a non-first key for re-encryption', () => {
    expect(rotated.needsReencrypt(oldCiphertext)).toBe(true);
    expect(rotated.needsReencrypt(rotated.encrypt(SECRET))).toBe(false);
    expect(oldBox.needsReencrypt(oldCiphertext)).toBe(false);
  });

  it('re-encrypts with the current key', () => {
    const fresh = rotated.reencrypt(oldCiphertext);
    expect(rotated.needsReencrypt(fresh)).toBe(false);
    expect(rotated.decrypt(fresh)).toBe(SECRET);
    expect(createSecretBox(`new:${KEY_B}`).decrypt(fresh)).toBe(SECRET);
  });

  it('names a key that has left the keyring', () => {
    expect(() => createSecretBox(`new:${KEY_B}`).decrypt(oldCiphertext)).toThrow(
      'encrypted with key "old", which is not in the keyring (new)',
    );
  });
});

describe('keyring parsing', () => {
  it('reads several entries, trimming spaces, in order', () => {
    const entries = parseKeyring(` a:${KEY_A} , b-2_x:${KEY_B}`);
    expect(entries.map((entry) => entry.kid)).toEqual(['a', 'b-2_x']);
    expect(entries[0]?.key.equals(Buffer.from(KEY_A, 'base64'))).toBe(true);
  });

  it('accepts base64url keys', () => {
    const key = randomBytes(32);
    expect(parseKeyring(`k:${key.toString('base64url')}`)[0]?.key.equals(key)).toBe(true);
  });

  it.each([
    ['', 'keyring is empty'],
    ['   ', 'keyring is empty'],
    [KEY_A, 'entry 1 must look like "kid:base64key"'],
    [`a.b:${KEY_A}`, 'key id "a.b" must be 1-32 letters'],
    [`:${KEY_A}`, 'key id "" must be'],
    [`${'k'.repeat(33)}:${KEY_A}`, 'must be 1-32 letters'],
    [`a:${KEY_A},a:${KEY_B}`, 'entry 2: key id "a" appears twice'],
    ['a:not base64!', 'entry 1 (key id "a"): the key is not base64'],
    [
      `a:${KEY_A},b:${randomBytes(16).toString('base64')}`,
      'entry 2 (key id "b"): the key decodes to 16 bytes; AES-256 needs exactly 32',
    ],
    [`a:${randomBytes(33).toString('base64')}`, 'decodes to 33 bytes'],
  ])('rejects %p clearly', (keyring, message) => {
    expect(() => createSecretBox(keyring)).toThrow(message);
  });

  it('never puts key material in an error', () => {
    const short = randomBytes(16).toString('base64');
    try {
      createSecretBox(`a:${short}`);
      throw new Error('expected a keyring error');
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });
});

describe('DEV_SECRETS_KEYRING and generateKeyringKey', () => {
  it('is a working one-key keyring', () => {
    const box = createSecretBox(DEV_SECRETS_KEYRING);
    expect(box.currentKeyId).toBe('dev');
    expect(box.decrypt(box.encrypt(SECRET))).toBe(SECRET);
  });

  it('generates 32-byte keys that make a valid keyring', () => {
    const key = generateKeyringKey();
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(createSecretBox(`prod1:${key},dev:${DEV_SECRETS_KEYRING.slice(4)}`).currentKeyId).toBe('prod1');
  });
});
