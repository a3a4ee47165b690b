/**
 * Drives the BullMQ baseline: own Postgres database and queue, the worker in its own process, jobs added in bulk
 * while it runs. Done = every job's POST arrived at the receiver and its attempt row is in Postgres.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createTestDatabase } from '@codeplanet/service-kit/testing';
import { deliveryIdFor } from '@codeplanet/event-schemas';
import { generateSecret } from '@codeplanet/signer';
import type { BenchReceiver } from '../receiver/receiver.js';
import { pathOf } from '../receiver/receiver.js';
import { cpuDuring, epochNow, makeEvent, memoryOf, until } from '../util.js';
import type { BullJobData } from './bullmq-worker.js';

export interface BullmqResult {
  deliveries: number;
  seconds: number;
  perSecond: number;
  rows: number;
  peakRssMb: number | null;
  complete: boolean;
  /** CPU seconds per process while it ran (its worker, Redis, Postgres, the receiver, this load generator). */
  cpu: Record<string, number>;
}

const SCHEMA = `create table attempts (
  id bigserial primary key,
  delivery_id text not null,
  event_id text not null,
  attempt int not null,
  started_at timestamptz not null,
  duration_ms int not null,
  status_code int,
  error text,
  response_body text
)`;

export async function runBullmq(
  receiver: BenchReceiver,
  total: number,
  { redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', timeoutMs = 300_000 } = {},
): Promise<BullmqResult> {
  const database = await createTestDatabase();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(SCHEMA);
  const queueName = `cpw-bench-${randomBytes(4).toString('hex')}`;
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue<BullJobData>(queueName, {
    connection,
    defaultJobOptions: {
      removeOnComplete: true,
      removeOnFail: true,
      attempts: 6,
      backoff: { type: 'exponential', delay: 60_000 },
    },
  });
  const entry = fileURLToPath(new URL('./bullmq-worker.js', import.meta.url));
  const child = fork(entry, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
    env: {
      ...process.env,
      BULLMQ_QUEUE: queueName,
      REDIS_URL: redisUrl,
      DATABASE_URL: database.url,
      BULLMQ_SECRET: generateSecret(),
      NODE_OPTIONS: '',
    },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`bullmq worker exited with ${code}`)));
    });
    const url = receiver.url('ok', 'bullmq');
    const path = pathOf(url);
    const endpointId = 'ep_bench_bullmq';
    const pids = {
      'BullMQ worker': child.pid,
      receiver: receiver.pid,
      'bench (load generator)': process.pid,
    };
    const { result: delivered, cpu } = await cpuDuring(
      () => pids,
      async () => {
        const started = epochNow();
        const producing = (async () => {
          const chunk = 1000;
          for (let i = 0; i < total; i += chunk) {
            const jobs = [];
            for (let j = i; j < Math.min(total, i + chunk); j++) {
              const event = makeEvent('acct_bench_bullmq', j);
              jobs.push({
                name: 'deliver',
                data: { event, url, delivery_id: deliveryIdFor(event.id, endpointId) },
              });
            }
            await queue.addBulk(jobs);
          }
        })();
        let rows = 0;
        const complete = await until(
          async () => {
            const [received, counted] = await Promise.all([
              receiver.count([path]),
              client.query<{ n: string }>('select count(*) as n from attempts'),
            ]);
            rows = Number(counted.rows[0]?.n ?? 0);
            return received >= total && rows >= total;
          },
          timeoutMs,
          20,
        );
        const seconds = (epochNow() - started) / 1000;
        await producing;
        return { complete, rows, seconds };
      },
    );
    const { complete, rows, seconds } = delivered;
    const memory = await memoryOf(child.pid);
    return {
      deliveries: total,
      seconds,
      perSecond: total / seconds,
      rows,
      peakRssMb: memory?.peakMb ?? null,
      complete,
      cpu,
    };
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    connection.disconnect();
    await client.end();
    await database.drop();
  }
}
