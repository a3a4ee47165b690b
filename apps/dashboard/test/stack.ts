import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '@codeplanet/service-kit/testing';

/** The monorepo root, from apps/dashboard/test. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DASHBOARD_DIST = fileURLToPath(new URL('../dist', import.meta.url));
export const APPS = ['subscriptions-api', 'delivery-worker', 'scheduler', 'audit-log'] as const;
type AppName = (typeof APPS)[number];

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const BOOT_TIMEOUT_MS = 90_000;

export function appMain(app: AppName): string {
  return `${REPO_ROOT}apps/${app}/dist/main.js`;
}

export function realStackBuilt(): boolean {
  return APPS.every((app) => existsSync(appMain(app))) && existsSync(`${DASHBOARD_DIST}/index.html`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitHealthy(
  name: string,
  url: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) while booting:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} was not healthy after ${BOOT_TIMEOUT_MS} ms:\n${output()}`);
}

export interface RealStack {
  dashboardUrl: string;
  subscriptionsUrl: string;
  adminToken: string;
  prefix: string;
  logs(app: AppName): string;
  stop(): Promise<void>;
}

/**
 * The four apps as child processes of the test, isolated like every other suite: their own stream prefix,
 * their own database, free ports, and a compressed retry ladder.
 */
export async function startRealStack(): Promise<RealStack> {
  const prefix = uniquePrefix();
  const adminToken = `test-admin-${prefix}`;
  const database: TestDatabase = await createTestDatabase();
  const ports = Object.fromEntries(
    await Promise.all(APPS.map(async (app) => [app, await freePort()] as const)),
  ) as Record<AppName, number>;
  const urlOf = (app: AppName) => `http://127.0.0.1:${ports[app]}`;
  const children = new Map<AppName, ChildProcess>();
  const output = new Map<AppName, string[]>();
  const logs = (app: AppName) => (output.get(app) ?? []).join('').slice(-8000);

  const env = (app: AppName): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(ports[app]),
    NATS_URL,
    DATABASE_URL: database.url,
    STREAM_PREFIX: prefix,
    ADMIN_TOKEN: adminToken,
    RETRY_SCHEDULE: '200ms,200ms,200ms,200ms,200ms',
    DELIVERY_TIMEOUT: '2s',
    // Shorter than a ladder step, so an open circuit lets a probe through at every (compressed) retry.
    BREAKER_COOLDOWN: '100ms',
    // The worker sends from these local addresses, and the dashboard lists them.
    EGRESS_IPS: '127.0.0.1',
    LOG_LEVEL: process.env.STACK_LOG_LEVEL ?? 'warn',
    SUBSCRIPTIONS_API_URL: urlOf('subscriptions-api'),
    DASHBOARD_DIR: DASHBOARD_DIST,
  });

  const stop = async () => {
    await Promise.all([...children.values()].map((child) => stopChild(child)));
    await deleteStreams(prefix).catch(() => undefined);
    await database.drop().catch(() => undefined);
  };

  try {
    // subscriptions-api first: it creates the database schema others may read; the rest boot in parallel.
    for (const group of [
      ['subscriptions-api'],
      ['delivery-worker', 'scheduler', 'audit-log'],
    ] as AppName[][]) {
      await Promise.all(
        group.map(async (app) => {
          const child = spawn(process.execPath, [appMain(app)], {
            cwd: `${REPO_ROOT}apps/${app}`,
            env: env(app),
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          const lines: string[] = [];
          output.set(app, lines);
          child.stdout?.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
          child.stderr?.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
          children.set(app, child);
          await waitHealthy(app, urlOf(app), child, () => logs(app));
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    dashboardUrl: urlOf('audit-log'),
    subscriptionsUrl: urlOf('subscriptions-api'),
    adminToken,
    prefix,
    logs,
    stop,
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Removes every stream the stack made (their names start with `<prefix>_`). */
async function deleteStreams(prefix: string): Promise<void> {
  const nc = await connect({ servers: NATS_URL, name: `dashboard-test-cleanup-${prefix}` });
  try {
    const jsm = await jetstreamManager(nc);
    const names: string[] = [];
    for await (const info of jsm.streams.list()) {
      if (info.config.name.startsWith(`${prefix}_`)) names.push(info.config.name);
    }
    for (const name of names) await jsm.streams.delete(name);
  } finally {
    await nc.close();
  }
}
