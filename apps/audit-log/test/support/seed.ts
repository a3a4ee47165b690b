/** A small, known world on the streams: two accounts with deliveries in every status, plus a stats endpoint. */
import type { EventType } from '@codeplanet/event-schemas';
import { accepted, attempt, auditFact, endpointFact, finished, rejected, type Ids } from './facts.js';
import type { Harness } from './harness.js';

export const A = 'acct_a';
export const B = 'acct_b';
export const TYPES: EventType[] = ['payment.completed', 'payment.failed', 'subscription.created'];
export const STATUS_OF = ['succeeded', 'failed', 'pending'] as const;

export interface Seeded {
  keyA: string;
  keyB: string;
  base: number;
  /** Delivery ids of account A, newest first (the list order). */
  aIds: string[];
  bIds: string[];
  at(minutes: number, ms?: number): string;
}

export function idsOf(account: string, i: number, endpointId: string, eventType: EventType): Ids {
  const n = String(i).padStart(2, '0');
  return {
    deliveryId: `dlv_${account}_${n}`,
    eventId: `evt_${account}_${n}`,
    endpointId,
    accountId: account,
    eventType,
  };
}

export async function seed(h: Harness): Promise<Seeded> {
  const base = Math.floor(Date.now() / 1000) * 1000 - 3 * 3_600_000;
  const at = (minutes: number, ms = 0): string => new Date(base + minutes * 60_000 + ms).toISOString();
  const keyA = await h.account(A);
  const keyB = await h.account(B);
  for (const [ep, account] of [
    ['ep_a1', A],
    ['ep_a2', A],
    ['ep_b1', B],
  ] as const) {
    await h.endpoint(endpointFact('endpoint.created', ep, account, 1, at(0)));
  }
  const aIds: string[] = [];
  for (let i = 0; i < 12; i++) {
    // i = 11 shares i = 10's creation time: the id breaks the tie in the page order.
    const ids = idsOf(A, i, i % 2 === 0 ? 'ep_a1' : 'ep_a2', TYPES[i % 3]!);
    await story(h, ids, at(Math.min(i, 10) * 5), STATUS_OF[i % 3]!);
    aIds.push(ids.deliveryId);
  }
  const bIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const ids = idsOf(B, i, 'ep_b1', 'payment.completed');
    await story(h, ids, at(i * 5 + 1), STATUS_OF[i]!);
    bIds.push(ids.deliveryId);
  }
  await h.outcome(rejected(at(3), 'evt_bad_a', A));
  await h.outcome(rejected(at(4), null, null));
  await h.audit(auditFact('aud_1', A, 'endpoint.create', at(1)));
  await h.audit(auditFact('aud_2', A, 'endpoint.update', at(2)));
  await h.audit(auditFact('aud_3', B, 'endpoint.create', at(3)));
  await h.projected();
  return { keyA, keyB, base, aIds: aIds.reverse(), bIds: bIds.reverse(), at };
}

/** The facts of one delivery ending in `status`: accepted, its attempts, and the final fact. */
export async function story(h: Harness, ids: Ids, created: string, status: (typeof STATUS_OF)[number]) {
  const t = Date.parse(created);
  const later = (ms: number): string => new Date(t + ms).toISOString();
  await h.outcome(accepted(created, ids));
  if (status === 'succeeded') {
    await h.outcome(attempt(1, later(10), { ok: true, status: 200, durationMs: 40 }, ids));
    await h.outcome(finished('succeeded', later(60), 1, ids));
  } else if (status === 'failed') {
    await h.outcome(attempt(1, later(10), { ok: false, status: 500, next: later(1000) }, ids));
    await h.outcome(attempt(2, later(1000), { ok: false, status: null, error: 'timeout', body: null }, ids));
    await h.outcome(finished('failed', later(1100), 2, ids));
  } else {
    await h.outcome(attempt(1, later(10), { ok: false, status: 503, next: later(3_600_000) }, ids));
  }
}
