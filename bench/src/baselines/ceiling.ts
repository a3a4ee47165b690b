/**
 * The ceiling: what this machine can push through the same receiver with nothing in between — a plain undici
 * loop, 64 requests in flight, each body signed exactly as a delivery is (both signature schemes).
 */
import { Pool } from 'undici';
import { generateSecret, signWebhook } from '@codeplanet/signer';
import { epochNow, makeEvent } from '../util.js';

export interface CeilingResult {
  deliveries: number;
  seconds: number;
  perSecond: number;
  errors: number;
}

export async function runCeiling(url: string, total: number, concurrency = 64): Promise<CeilingResult> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: concurrency, pipelining: 1 });
  const secret = generateSecret();
  const accountId = 'acct_bench_ceiling';
  let next = 0;
  let errors = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const n = next++;
      const event = makeEvent(accountId, n);
      const body = JSON.stringify(event);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'CodePlanet-Webhooks/bench',
        'x-codeplanet-event-id': event.id,
        'x-codeplanet-event-type': event.type,
        'x-codeplanet-attempt': '1',
        ...signWebhook({ secrets: [secret], eventId: event.id, body }),
      };
      try {
        const response = await pool.request({ method: 'POST', path: target.pathname, headers, body });
        await response.body.dump();
        if (response.statusCode >= 300) errors += 1;
      } catch {
        errors += 1;
      }
    }
  };
  const started = epochNow();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (epochNow() - started) / 1000;
  await pool.close();
  return { deliveries: total, seconds, perSecond: total / seconds, errors };
}
