import { createHash } from 'node:crypto';
import { ulid } from 'ulid';

export type IdKind = 'evt' | 'acct' | 'key' | 'ep' | 'dlv' | 'job' | 'req';

/** Sortable, prefixed ids: `evt_01JEX3M5V8Q2T9ZK7W4N6R1B3C`. */
export function newId(kind: IdKind): string {
  return `${kind}_${ulid()}`;
}

/**
 * One delivery per (event, endpoint), the same across retries and across a re-run fan-out, so it is derived,
 * never random. A replay job adds its id, so a replay is a new delivery of the same event.
 */
export function deliveryIdFor(eventId: string, endpointId: string, replayJobId?: string): string {
  const key = replayJobId ? `${eventId}:${endpointId}:${replayJobId}` : `${eventId}:${endpointId}`;
  return `dlv_${createHash('sha256').update(key).digest('base64url').slice(0, 26)}`;
}
