/**
 * Boots the real app against the machine's Postgres (a fresh database) and NATS (a fresh stream prefix), and lets
 * a test put facts straight onto the streams, as the other apps would.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import type { AuditFact, EndpointFact, EventEnvelope, OutcomeFact } from '@codeplanet/event-schemas';
import { publishJson } from '@codeplanet/jetstream';
import { createTestJetStream, type TestJetStream } from '@codeplanet/jetstream/testing';
import { hashApiKey, loadConfig } from '@codeplanet/service-kit';
import { createTestDatabase, waitFor, type TestDatabase } from '@codeplanet/service-kit/testing';
import { createAuditApp } from '../../src/app.js';
import { AuditEnv } from '../../src/config/audit-env.js';
import { PROJECTED_STREAMS } from '../../src/projection/projector.js';
import { accountCreated, keyCreated } from './facts.js';

export const ADMIN = 'test-admin-token';

// Response bodies are whatever JSON the route returns; tests assert on their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

export interface Harness {
  url: string;
  app: NestFastifyApplication;
  bus: TestJetStream;
  db: TestDatabase;
  dataSource: DataSource;
  publish(subject: string, payload: unknown, msgId?: string): Promise<number>;
  outcome(fact: OutcomeFact): Promise<number>;
  audit(fact: AuditFact): Promise<number>;
  endpoint(fact: EndpointFact): Promise<number>;
  event(event: EventEnvelope): Promise<number>;
  /** Waits until every projected stream's checkpoint has reached the stream's last sequence. */
  projected(): Promise<void>;
  http<T = Loose>(method: string, path: string, token?: string, body?: unknown): Promise<Reply<T>>;
  /** Publishes account.created + api_key.created and returns the key once projected. */
  account(accountId: string): Promise<string>;
  stop(): Promise<void>;
}

export interface Reply<T> {
  status: number;
  body: T;
  headers: Headers;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const bus = await createTestJetStream({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  const db = await createTestDatabase();
  const config = loadConfig(AuditEnv, {
    DATABASE_URL: db.url,
    NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    STREAM_PREFIX: bus.prefix,
    ADMIN_TOKEN: ADMIN,
    LOG_LEVEL: 'error',
    PORT: '0',
    DASHBOARD_DIR: '/nonexistent-dashboard',
    PROJECTION_BATCH_SIZE: '50',
    ...env,
  });
  const app = await createAuditApp(config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const dataSource = app.get(DataSource);

  const harness: Harness = {
    url,
    app,
    bus,
    db,
    dataSource,
    async publish(subject, payload, msgId) {
      const ack = await publishJson(bus.js, subject, payload, msgId ? { msgId } : {});
      return ack.seq;
    },
    outcome: (fact) => harness.publish(bus.topology.outcome(outcomeEndpoint(fact)), fact),
    audit: (fact) => harness.publish(bus.topology.audit(fact.account_id ?? '_admin'), fact),
    endpoint: (fact) =>
      harness.publish(bus.topology.endpoint(fact.endpoint.account_id, fact.endpoint.id), fact),
    event: (event) => harness.publish(bus.topology.event(event.type), event, event.id),
    async projected() {
      await waitFor(
        async () => {
          const rows = await dataSource.query<
            Array<{ stream: string; last_seq: string; missing: unknown[] }>
          >(`SELECT stream, last_seq, missing FROM audit.checkpoints`);
          for (const key of PROJECTED_STREAMS) {
            const name = bus.topology.stream(key);
            const info = await bus.jsm.streams.info(name);
            const row = rows.find((r) => r.stream === name);
            if (info.state.last_seq > Number(row?.last_seq ?? 0) || (row?.missing.length ?? 0) > 0)
              return false;
          }
          return true;
        },
        { timeoutMs: 15_000, what: 'projections to catch up' },
      );
    },
    async http(method, path, token, body) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(url + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed as never, headers: res.headers };
    },
    async account(accountId) {
      const key = `cpk_${accountId}_secret`;
      const at = '2026-12-01T00:00:00.000Z';
      await harness.publish(bus.topology.account(accountId), accountCreated(accountId, at));
      await harness.publish(
        bus.topology.account(accountId),
        keyCreated(`key_${accountId}`, accountId, hashApiKey(key), at),
      );
      return key;
    },
    async stop() {
      await app.close();
      await bus.cleanup();
      await db.drop();
    },
  };
  return harness;
}

function outcomeEndpoint(fact: OutcomeFact): string {
  switch (fact.type) {
    case 'event.accepted':
      return fact.deliveries[0]?.endpoint_id ?? 'none';
    case 'event.rejected':
      return 'none';
    case 'attempt.succeeded':
    case 'attempt.failed':
    case 'delivery.succeeded':
    case 'delivery.failed':
      return fact.endpoint_id;
  }
}
