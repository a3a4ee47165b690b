import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { publishJson } from '@codeplanet/jetstream';
import { createTestJetStream, type TestJetStream } from '@codeplanet/jetstream/testing';
import { createTestDatabase, waitFor, type TestDatabase } from '@codeplanet/service-kit/testing';
import { auditDataSourceOptions, openAuditDataSource } from '../src/database/data-source.js';
import { BatchRunner } from '../src/projection/batch-runner.js';
import { consumerName, ensureProjectionConsumer } from '../src/projection/consumers.js';
import { OutcomesProjector } from '../src/projection/projectors/outcomes.projector.js';
import { attempt } from './support/facts.js';
import { idsOf } from './support/seed.js';
import { TcpProxy } from './support/tcp-proxy.js';

let bus: TestJetStream;
let db: TestDatabase;
let direct: DataSource;
let viaProxy: DataSource;
let runner: BatchRunner;
const proxy = new TcpProxy('127.0.0.1', 5432);

beforeAll(async () => {
  bus = await createTestJetStream({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  db = await createTestDatabase();
  direct = await openAuditDataSource(db.url);
  await proxy.up();
  const url = new URL(db.url);
  url.port = String(proxy.port);
  url.hostname = '127.0.0.1';
  viaProxy = await new DataSource({
    ...auditDataSourceOptions(url.toString()),
    migrationsRun: false,
  }).initialize();
  await ensureProjectionConsumer(bus.jsm, bus.topology, 'outcomes', 10);
  runner = new BatchRunner({
    dataSource: viaProxy,
    js: bus.js,
    streamName: bus.topology.stream('outcomes'),
    consumerName: consumerName('outcomes'),
    projector: new OutcomesProjector(),
    batchSize: 10,
    logger: new Logger('test'),
  });
  runner.start();
}, 30_000);

afterAll(async () => {
  await runner?.stop();
  await proxy.down();
  await viaProxy?.destroy().catch(() => undefined);
  await direct?.destroy();
  await bus?.cleanup();
  await db?.drop();
});

async function publishAttempts(from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    const ids = idsOf('acct_r', i, 'ep_r', 'payment.completed');
    await publishJson(
      bus.js,
      bus.topology.outcome('ep_r'),
      attempt(1, new Date().toISOString(), { ok: true }, ids),
    );
  }
}

async function attempts(): Promise<number> {
  const [row] = await direct.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM audit.attempts`);
  return row!.n;
}

describe('Postgres outage', () => {
  it('holds the batch while Postgres is gone, then catches up with nothing lost or doubled', async () => {
    await publishAttempts(0, 20);
    await waitFor(async () => (await attempts()) === 20, { what: '20 attempts' });

    await proxy.down();
    await publishAttempts(20, 60);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const info = await bus.jsm.consumers.info(bus.topology.stream('outcomes'), consumerName('outcomes'));
    expect(info.num_ack_pending).toBeGreaterThan(0);
    expect(await attempts()).toBe(20);

    await proxy.up();
    await waitFor(async () => (await attempts()) === 60, { timeoutMs: 20_000, what: 'catch-up' });
    const [checkpoint] = await direct.query<Array<{ last_seq: string; missing: unknown[] }>>(
      `SELECT last_seq, missing FROM audit.checkpoints`,
    );
    expect(checkpoint).toEqual({ last_seq: '60', missing: [] });
    const [deliveries] = await direct.query<Array<{ n: number; max: number }>>(
      `SELECT count(*)::int AS n, max(attempts)::int AS max FROM audit.deliveries`,
    );
    expect(deliveries).toEqual({ n: 60, max: 1 });
  }, 40_000);
});
