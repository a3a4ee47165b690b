import type { EncryptedSecret } from '@codeplanet/event-schemas';

/** How long a rotated-out secret keeps signing, and how many of them are kept at most. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;
export const MAX_OLD_SECRETS = 3;

/** The slice of `createSecretBox()` the ring needs, so it stays testable without real keys. */
export interface SecretCipher {
  encrypt(plain: string): string;
  decrypt(ciphertext: string): string;
  needsReencrypt(ciphertext: string): boolean;
}

/** A fresh ring holding one current secret. */
export function newRing(ciphertext: string, now: Date): EncryptedSecret[] {
  return [{ ciphertext, created_at: now.toISOString(), expires_at: null }];
}

/**
 * The new secret goes first and signs at once; the one it replaces keeps signing for the overlap window. Older
 * rotated-out secrets keep their own expiry; expired ones are dropped and at most MAX_OLD_SECRETS are kept.
 */
export function rotateRing(ring: EncryptedSecret[], ciphertext: string, now: Date): EncryptedSecret[] {
  const expiresAt = new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString();
  const old = ring.map((secret) =>
    secret.expires_at === null ? { ...secret, expires_at: expiresAt } : secret,
  );
  return pruneRing([...newRing(ciphertext, now), ...old], now);
}

/** Keeps the current secret and the rotated-out ones still inside their window (newest first, capped). */
export function pruneRing(ring: EncryptedSecret[], now: Date): EncryptedSecret[] {
  const [current, ...old] = ring;
  if (!current) return [];
  const live = old.filter(
    (secret) => secret.expires_at !== null && Date.parse(secret.expires_at) > now.getTime(),
  );
  return [current, ...live.slice(0, MAX_OLD_SECRETS)];
}

/** Re-encrypts secrets still under a retired encryption key, so the old key can be removed from the keyring. */
export function reencryptRing(ring: EncryptedSecret[], cipher: SecretCipher): EncryptedSecret[] {
  return ring.map((secret) =>
    cipher.needsReencrypt(secret.ciphertext)
      ? { ...secret, ciphertext: cipher.encrypt(cipher.decrypt(secret.ciphertext)) }
      : secret,
  );
}

/** The plaintext of the current secret. */
export function currentSecret(ring: EncryptedSecret[], cipher: SecretCipher): string {
  const current = ring[0];
  if (!current) throw new Error('endpoint has no secret');
  return cipher.decrypt(current.ciphertext);
}
