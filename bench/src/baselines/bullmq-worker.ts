/**
 * The dispatcher a Node team would otherwise write, run as its own process like our delivery-worker: a BullMQ
 * worker (64 concurrent jobs) that signs each body, POSTs it with undici and writes one Postgres row per attempt.
 * Configured by env: BULLMQ_QUEUE, REDIS_URL, DATABASE_URL, BULLMQ_SECRET, BULLMQ_CONCURRENCY.
 */
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Pool } from 'undici';
import { signWebhook } from '@codeplanet/signer';
import type { EventEnvelope } from '@codeplanet/event-schemas';

export interface BullJobData {
  event: EventEnvelope;
  url: string;
  delivery_id: string;
}

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const concurrency = Number(process.env.BULLMQ_CONCURRENCY ?? 64);
const secret = env('BULLMQ_SECRET');
const db = new pg.Pool({ connectionString: env('DATABASE_URL'), max: 16 });
const pools = new Map<string, Pool>();

function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
    pools.set(origin, pool);
  }
  return pool;
}

async function deliver(job: Job<BullJobData>): Promise<void> {
  const { event, url, delivery_id } = job.data;
  const target = new URL(url);
  const body = JSON.stringify(event);
  const attempt = job.attemptsMade + 1;
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'CodePlanet-Webhooks/bench-bullmq',
    'x-codeplanet-event-id': event.id,
    'x-codeplanet-event-type': event.type,
    'x-codeplanet-delivery-id': delivery_id,
    'x-codeplanet-attempt': String(attempt),
    ...signWebhook({ secrets: [secret], eventId: event.id, body }),
  };
  const startedAt = new Date();
  let status: number | null = null;
  let error: string | null = null;
  let responseBody: string | null = null;
  try {
    const response = await poolFor(target.origin).request({
      method: 'POST',
      path: target.pathname,
      headers,
      body,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    status = response.statusCode;
    responseBody = (await response.body.text()).slice(0, 4096);
  } catch (err) {
    error = err instanceof Error ? err.name : 'error';
  }
  await db.query(
    `insert into attempts (delivery_id, event_id, attempt, started_at, duration_ms, status_code, error, response_body)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      delivery_id,
      event.id,
      attempt,
      startedAt,
      Date.now() - startedAt.getTime(),
      status,
      error,
      responseBody,
    ],
  );
  if (status === null || status < 200 || status >= 300) throw new Error(`attempt failed: ${status ?? error}`);
}

const connection = new Redis(env('REDIS_URL'), { maxRetriesPerRequest: null });
const worker = new Worker<BullJobData>(env('BULLMQ_QUEUE'), deliver, {
  connection,
  concurrency,
  autorun: true,
});
worker.on('error', (err) => process.stderr.write(`bullmq worker: ${String(err)}\n`));

await worker.waitUntilReady();
process.send?.({ ready: true });

process.once('SIGTERM', () => {
  void (async () => {
    await worker.close();
    await Promise.all([...pools.values()].map((pool) => pool.close()));
    await db.end();
    connection.disconnect();
    process.exit(0);
  })();
});
