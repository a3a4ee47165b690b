import { randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A new endpoint signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/**
 * The HMAC key of a secret: the base64-decoded part after `whsec_` (the Standard Webhooks rule, used for both
 * header sets). The prefix is optional, as in the reference libraries. Throws a `TypeError` for anything that is
 * not base64 of 24 to 64 bytes, without echoing the secret.
 */
export function secretKey(secret: string): Buffer {
  if (typeof secret !== 'string') throw new TypeError('webhook secret must be a string like whsec_...');
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!BASE64.test(encoded) || encoded.length % 4 === 1) {
    throw new TypeError('webhook secret must be "whsec_" followed by standard base64');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw new TypeError(
      `webhook secret must decode to ${MIN_KEY_BYTES}-${MAX_KEY_BYTES} bytes (this one has ${key.length})`,
    );
  }
  return key;
}
