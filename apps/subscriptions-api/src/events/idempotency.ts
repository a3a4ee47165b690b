import { createHash } from 'node:crypto';
import type { EventEnvelope } from '@codeplanet/event-schemas';

/**
 * `Idempotency-Key` on `POST /v1/events`: the same key with the same request returns the same response and
 * publishes no second event; the same key with a different request is refused. Keys live 24 hours.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredRequest {
  requestHash: string;
  /** The event as accepted (with server-filled fields), so a retry publishes exactly the same message. */
  event: EventEnvelope;
  /** `pending` until the publish was acknowledged; a retry then publishes again (deduped by the event id). */
  state: 'pending' | 'done';
  createdAt: Date;
}

export type IdempotencyDecision =
  | { kind: 'new' }
  | { kind: 'replay'; stored: StoredRequest }
  | { kind: 'resume'; stored: StoredRequest }
  | { kind: 'reused' };

export function decideIdempotency(
  stored: StoredRequest | null,
  requestHash: string,
  now: Date,
): IdempotencyDecision {
  if (!stored || isExpired(stored, now)) return { kind: 'new' };
  if (stored.requestHash !== requestHash) return { kind: 'reused' };
  return stored.state === 'done' ? { kind: 'replay', stored } : { kind: 'resume', stored };
}

export function isExpired(stored: Pick<StoredRequest, 'createdAt'>, now: Date): boolean {
  return now.getTime() - stored.createdAt.getTime() >= IDEMPOTENCY_TTL_MS;
}

/** Printable ASCII, 1–255 characters (what Stripe and the IETF draft accept). Returns a problem or null. */
export function idempotencyKeyProblem(key: string): string | null {
  if (key.length === 0 || key.length > 255) return 'must be 1 to 255 characters';
  if (!/^[\x21-\x7e]+$/.test(key)) return 'must be printable ASCII without spaces';
  return null;
}

/** Hash of the request as the producer sent it; key order and whitespace do not matter. */
export function requestHashOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
