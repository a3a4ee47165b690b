/** One AES-256 key of the secret-box keyring. */
export interface KeyringEntry {
  kid: string;
  key: Buffer;
}

const KID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64_ANY = /^[A-Za-z0-9+/_-]+={0,2}$/;
export const KEY_BYTES = 32;

/**
 * Parses `kid:base64key[,kid2:base64key2]` (SECRETS_ENCRYPTION_KEYS). The first key encrypts, all decrypt.
 * Errors name the entry by position and key id, never by key material. Keys may be base64 or base64url.
 */
export function parseKeyring(keyring: string): KeyringEntry[] {
  if (typeof keyring !== 'string' || keyring.trim() === '') {
    throw new Error('secrets keyring is empty: expected "kid:base64key[,kid2:base64key2]" with 32-byte keys');
  }
  const entries: KeyringEntry[] = [];
  keyring.split(',').forEach((raw, index) => {
    const where = `secrets keyring entry ${index + 1}`;
    const item = raw.trim();
    const colon = item.indexOf(':');
    if (colon < 0) throw new Error(`${where} must look like "kid:base64key" (no ":" found)`);
    const kid = item.slice(0, colon);
    const encoded = item.slice(colon + 1);
    if (!KID.test(kid)) {
      throw new Error(
        `${where}: key id ${JSON.stringify(kid.slice(0, 40))} must be 1-32 letters, digits, "_" or "-"`,
      );
    }
    if (entries.some((entry) => entry.kid === kid))
      throw new Error(`${where}: key id "${kid}" appears twice`);
    if (!BASE64_ANY.test(encoded)) throw new Error(`${where} (key id "${kid}"): the key is not base64`);
    const key = Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64');
    if (key.length !== KEY_BYTES) {
      throw new Error(
        `${where} (key id "${kid}"): the key decodes to ${key.length} bytes; AES-256 needs exactly ${KEY_BYTES} ` +
          `(make one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")`,
      );
    }
    entries.push({ kid, key });
  });
  return entries;
}
