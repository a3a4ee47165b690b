import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { createTestJetStream, type TestJetStream } from '@codeplanet/jetstream/testing';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '@codeplanet/service-kit/testing';
import { createApp } from '../../src/app.js';
import { loadSettings, type AppSettings } from '../../src/config/env.js';
import type { HostResolver } from '../../src/endpoints/url-policy/url-policy.js';
import { LogCapture } from './log-capture.js';

export const ADMIN_TOKEN = 'test-admin-token';
export const SERVICE_TOKEN = 'test-service-token-0123456789';
/** A keyring that is not the dev default, as production would have. */
export const TEST_KEYRING = 'k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

export interface HttpResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  /** Sent as is (no JSON encoding), for bad JSON and oversized bodies. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  settings: AppSettings;
  /** The env the app was configured from. */
  envVars: Record<string, string>;
  prefix: string;
  db: TestDatabase;
  nats: TestJetStream;
  logs: LogCapture;
  request(method: string, path: string, options?: RequestOptions): Promise<HttpResponse>;
  /** Runs SQL against this suite's database. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  hostResolver?: HostResolver;
}

/** Boots the real app (real Postgres database and NATS prefix of its own) on a random port. */
export async function startApp(options: StartOptions = {}): Promise<TestApp> {
  const logs = LogCapture.start();
  const prefix = uniquePrefix();
  const db = await createTestDatabase();
  const nats = await createTestJetStream({ prefix, provision: false });
  const envVars: Record<string, string> = {
    NODE_ENV: 'test',
    NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    DATABASE_URL: db.url,
    STREAM_PREFIX: prefix,
    ADMIN_TOKEN,
    SERVICE_TOKENS: SERVICE_TOKEN,
    SECRETS_ENCRYPTION_KEYS: TEST_KEYRING,
    EGRESS_IPS: '34.120.10.20, 35.230.1.2',
    LOG_LEVEL: 'verbose',
    PORT: '0',
    ...options.env,
  };
  const settings = loadSettings(envVars);
  const app = await createApp(settings, {
    docsUi: false,
    ...(options.hostResolver ? { hostResolver: options.hostResolver } : {}),
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });

  return {
    app,
    url,
    settings,
    envVars,
    prefix,
    db,
    nats,
    logs,
    request: (method, path, requestOptions = {}) => send(url, method, path, requestOptions),
    async sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
      return (await pool.query(text, params)).rows as T[];
    },
    async close() {
      try {
        await app.close();
      } finally {
        await pool.end();
        await nats.cleanup();
        await db.drop();
        logs.stop();
      }
    },
  };
}

export async function send(
  base: string,
  method: string,
  path: string,
  options: RequestOptions,
): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined = options.rawBody;
  if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(base + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** A second process of the same deployment: same database and stream prefix (closing it leaves them alone). */
export async function startReplica(
  primary: TestApp,
  env: Record<string, string> = {},
): Promise<{ app: NestFastifyApplication; url: string; close(): Promise<void> }> {
  const app = await createApp(loadSettings({ ...primary.envVars, ...env }), { docsUi: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** The admin makes an account and a key for it; returns the key as the account's token. */
export async function createAccount(
  app: TestApp,
  name = 'Acme',
): Promise<{ accountId: string; key: string; keyId: string }> {
  const account = await app.request('POST', '/v1/admin/accounts', { body: { name } });
  if (account.status !== 201) throw new Error(`account: ${account.status} ${account.text}`);
  const key = await app.request('POST', `/v1/admin/accounts/${account.body.id}/api-keys`);
  if (key.status !== 201) throw new Error(`api key: ${key.status} ${key.text}`);
  return { accountId: account.body.id, key: key.body.key, keyId: key.body.id };
}

export async function createEndpoint(
  app: TestApp,
  key: string,
  body: Record<string, unknown> = {},
): Promise<{ id: string; secret: string; [field: string]: unknown }> {
  const response = await app.request('POST', '/v1/endpoints', {
    token: key,
    body: { url: 'http://127.0.0.1:9/hook', events: ['payment.completed'], ...body },
  });
  if (response.status !== 201) throw new Error(`endpoint: ${response.status} ${response.text}`);
  return response.body;
}
