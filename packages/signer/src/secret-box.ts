import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KEY_BYTES, parseKeyring, type KeyringEntry } from './keyring.js';

/**
 * Encrypts endpoint signing secrets at rest and on the bus. Ciphertext: `v1.<kid>.<iv>.<tag>.<ct>`, parts base64url,
 * AES-256-GCM with a random 12-byte IV; `v1.<kid>` is the additional authenticated data, so a ciphertext cannot be
 * relabelled with another key id.
 */
export interface SecretBox {
  encrypt(plaintext: string): string;
  /** Decrypts with whichever keyring key the ciphertext names; throws on unknown key, malformed or tampered input. */
  decrypt(ciphertext: string): string;
  /** True when the ciphertext was made with a key other than the first (current) one: decrypt + encrypt it again. */
  needsReencrypt(ciphertext: string): boolean;
  /** decrypt + encrypt with the current key (what a key-rotation job does with every stored secret). */
  reencrypt(ciphertext: string): string;
  /** The id of the key that encrypts. */
  readonly currentKeyId: string;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Development-only keyring (one all-public key): never use it in production, where `SECRETS_ENCRYPTION_KEYS`
 * must be set. Its key is the 32 ASCII bytes `codeplanet-dev-only-secret-key!!`.
 */
export const DEV_SECRETS_KEYRING = 'dev:Y29kZXBsYW5ldC1kZXYtb25seS1zZWNyZXQta2V5ISE=';

/** A fresh random key in keyring format, e.g. for `SECRETS_ENCRYPTION_KEYS=k2026:<this>,<old entries>`. */
export function generateKeyringKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

interface Parts {
  kid: string;
  iv: Buffer;
  tag: Buffer;
  ct: Buffer;
}

function parse(ciphertext: string): Parts {
  const parts = typeof ciphertext === 'string' ? ciphertext.split('.') : [];
  const [version, kid, iv, tag, ct] = parts;
  if (
    parts.length !== 5 ||
    version !== VERSION ||
    !kid ||
    iv === undefined ||
    tag === undefined ||
    ct === undefined
  ) {
    throw new Error('not a secret-box ciphertext (expected v1.<kid>.<iv>.<tag>.<ciphertext>)');
  }
  const decoded = {
    kid,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ct: Buffer.from(ct, 'base64url'),
  };
  if (decoded.iv.length !== IV_BYTES || decoded.tag.length !== TAG_BYTES) {
    throw new Error('not a secret-box ciphertext (bad IV or tag length)');
  }
  return decoded;
}

function aad(kid: string): Buffer {
  return Buffer.from(`${VERSION}.${kid}`, 'utf8');
}

export function createSecretBox(keyring: string): SecretBox {
  const entries = parseKeyring(keyring);
  const current = entries[0] as KeyringEntry;
  const byKid = new Map(entries.map((entry) => [entry.kid, entry.key]));

  const encrypt = (plaintext: string): string => {
    if (typeof plaintext !== 'string') throw new TypeError('secretBox.encrypt takes a string');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', current.key, iv);
    cipher.setAAD(aad(current.kid));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      current.kid,
      iv.toString('base64url'),
      tag.toString('base64url'),
      ct.toString('base64url'),
    ].join('.');
  };

  const decrypt = (ciphertext: string): string => {
    const { kid, iv, tag, ct } = parse(ciphertext);
    const key = byKid.get(kid);
    if (!key) {
      throw new Error(
        `ciphertext was encrypted with key "${kid}", which is not in the keyring (${[...byKid.keys()].join(', ')})`,
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(kid));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(
        `could not decrypt with key "${kid}": authentication failed (tampered ciphertext or wrong key)`,
      );
    }
  };

  return {
    currentKeyId: current.kid,
    encrypt,
    decrypt,
    needsReencrypt: (ciphertext) => parse(ciphertext).kid !== current.kid,
    reencrypt: (ciphertext) => encrypt(decrypt(ciphertext)),
  };
}
