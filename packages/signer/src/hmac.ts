import { createHmac } from 'node:crypto';

/** The bytes both schemes sign: `<prefix><raw body>`, body kept byte-exact. */
export function hmacSha256(key: Buffer, prefix: string, body: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(prefix, 'utf8').update(body).digest();
}

/** x-codeplanet-signature signs `<timestamp>.<raw body>`. */
export function codeplanetDigest(key: Buffer, timestamp: number | string, body: string | Uint8Array): Buffer {
  return hmacSha256(key, `${timestamp}.`, body);
}

/** Standard Webhooks signs `<webhook-id>.<timestamp>.<raw body>`. */
export function standardDigest(
  key: Buffer,
  webhookId: string,
  timestamp: number | string,
  body: string | Uint8Array,
): Buffer {
  return hmacSha256(key, `${webhookId}.${timestamp}.`, body);
}
