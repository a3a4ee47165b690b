import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { createTopology, type Topology } from '@codeplanet/event-schemas';
import { deleteStreamsWithPrefix, provisionStreams, publishJson } from '@codeplanet/jetstream';
import { appUrl, createHttpApp } from '@codeplanet/service-kit';
import {
  createTestDatabase,
  uniquePrefix,
  waitFor,
  type TestDatabase,
} from '@codeplanet/service-kit/testing';
import { AppModule } from '../../src/app/app.module.js';
import { loadSettings } from '../../src/config/env.js';
import { LeaseService } from '../../src/lease/lease.service.js';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
export const ADMIN = 'test-admin-token';

/** One suite's world: its own stream prefix, database, and a client to publish facts and read streams. */
export interface TestWorld {
  prefix: string;
  topology: Topology;
  db: TestDatabase;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  sql: pg.Pool;
  env(overrides?: Record<string, string>): Record<string, string>;
  publish(subject: string, payload: unknown, msgId?: string): Promise<number>;
  /** Every message of a stream, parsed, with its msgID. */
  read<T>(stream: string): Promise<{ seq: number; subject: string; msgId: string | undefined; data: T }[]>;
  close(): Promise<void>;
}

export async function createWorld(): Promise<TestWorld> {
  const prefix = uniquePrefix();
  const topology = createTopology(prefix);
  const db = await createTestDatabase();
  const nc = await connect({ servers: NATS_URL, name: `scheduler-test-${prefix}` });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  await provisionStreams(jsm, topology);
  const sql = new pg.Pool({ connectionString: db.url, max: 2 });
  return {
    prefix,
    topology,
    db,
    nc,
    js,
    jsm,
    sql,
    env: (overrides = {}) => ({
      NODE_ENV: 'test',
      NATS_URL,
      DATABASE_URL: db.url,
      STREAM_PREFIX: prefix,
      ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'warn',
      LEASE_CHECK_INTERVAL: '100ms',
      JOB_POLL_INTERVAL: '100ms',
      AUTO_DISABLE_CHECK_INTERVAL: '1h',
      RETENTION_CHECK_INTERVAL: '1h',
      STUCK_CHECK_INTERVAL: '1h',
      ADVISORY_CHECK_INTERVAL: '1h',
      ...overrides,
    }),
    async publish(subject, payload, msgId) {
      const ack = await publishJson(js, subject, payload, msgId ? { msgId } : {});
      return ack.seq;
    },
    async read<T>(stream: string) {
      const info = await jsm.streams.info(stream);
      const out: { seq: number; subject: string; msgId: string | undefined; data: T }[] = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
        const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
        if (msg)
          out.push({
            seq,
            subject: msg.subject,
            msgId: msg.header?.get('Nats-Msg-Id') || undefined,
            data: msg.json<T>(),
          });
      }
      return out;
    },
    async close() {
      await sql.end();
      await deleteStreamsWithPrefix(jsm, prefix).catch(() => undefined);
      await nc.close();
      await db.drop();
    },
  };
}

export interface RunningScheduler {
  app: NestFastifyApplication;
  url: string;
  get<T>(token: new (...args: never[]) => T): T;
  http<T = unknown>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The app in-process, listening on a free port (app.inject() does not work under jest ESM). */
export async function startScheduler(env: Record<string, string>): Promise<RunningScheduler> {
  const settings = loadSettings(env);
  const app = await createHttpApp(AppModule.register(settings), {
    name: 'scheduler',
    port: 0,
    logLevel: env.LOG_LEVEL ?? 'warn',
  });
  await app.listen(0, '127.0.0.1');
  const url = await appUrl(app);
  return {
    app,
    url,
    get: (token) => app.get(token),
    async http(method, path, token, body) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(url + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: parseBody(text) as never };
    },
    close: () => app.close(),
  };
}

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

const PERIODIC_JOBS = ['auto_disable', 'retention', 'stuck_repair', 'max_deliveries'];

/**
 * Starts an instance and waits until it holds the lease and has finished the first run of every periodic job
 * (they run at once on election), so a test that then calls a job itself is the only one acting.
 */
export async function startLeader(env: Record<string, string>): Promise<RunningScheduler> {
  const scheduler = await startScheduler(env);
  const lease = scheduler.get(LeaseService);
  await waitFor(() => lease.isLeader(), { what: 'leadership' });
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 1 });
  try {
    await waitFor(
      async () => {
        const { rows } = await pool.query<{ job: string }>(
          `SELECT DISTINCT job FROM scheduler.job_runs WHERE instance_id = $1 AND finished_at IS NOT NULL`,
          [lease.instanceId],
        );
        return PERIODIC_JOBS.every((job) => rows.some((r) => r.job === job));
      },
      { what: 'first periodic runs' },
    );
  } finally {
    await pool.end();
  }
  return scheduler;
}
