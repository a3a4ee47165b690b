import { HEADERS } from './headers.js';
import { codeplanetDigest, standardDigest } from './hmac.js';
import { secretKey } from './secret.js';

export interface SignWebhookOptions {
  /** Every secret that currently signs (current first, then rotated-out ones still in their grace period). */
  secrets: readonly string[];
  /** The event id; also the Standard Webhooks `webhook-id`. */
  eventId: string;
  /** The exact body that will be sent. */
  body: string | Uint8Array;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
}

/**
 * The signature headers of one delivery attempt, both schemes at once (CONTRACT.md §2): one `v1=` / `v1,` entry per
 * secret, space-separated, so receivers still holding a rotated-out secret keep verifying during the grace period.
 */
export function signWebhook(options: SignWebhookOptions): Record<string, string> {
  const { secrets, eventId, body } = options;
  if (secrets.length === 0) throw new TypeError('signWebhook needs at least one secret');
  if (!eventId || /[\s]/.test(eventId)) throw new TypeError('signWebhook needs an event id without spaces');
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError(`timestamp must be whole unix seconds (got ${timestamp})`);
  }
  const keys = secrets.map(secretKey);
  return {
    [HEADERS.codeplanetTimestamp]: String(timestamp),
    [HEADERS.codeplanetSignature]: keys
      .map((key) => `v1=${codeplanetDigest(key, timestamp, body).toString('hex')}`)
      .join(' '),
    [HEADERS.webhookId]: eventId,
    [HEADERS.webhookTimestamp]: String(timestamp),
    [HEADERS.webhookSignature]: keys
      .map((key) => `v1,${standardDigest(key, eventId, timestamp, body).toString('base64')}`)
      .join(' '),
  };
}
