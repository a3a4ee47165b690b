/**
 * The four apps as child processes on one unique stream prefix and database (like `Stack` from @codeplanet/e2e),
 * plus what a benchmark needs on top: extra node flags per app (`--cpu-prof`), restarts, and each process's pid
 * for /proc memory readings.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  APP_NAMES,
  AppProcess,
  REPO_ROOT,
  deleteStreamsOfPrefix,
  freePort,
  type AppName,
} from '@codeplanet/e2e';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '@codeplanet/service-kit/testing';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token';

export interface BenchStackOptions {
  env?: Record<string, string>;
  /** Node flags per app, e.g. `{ 'delivery-worker': ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] }`. */
  nodeArgs?: Partial<Record<AppName, string[]>>;
  natsUrl?: string;
  verbose?: boolean;
}

/** A benchmark's app process: e2e's `AppProcess`, keeping only the tail of its output. */
export type BenchApp = AppProcess;

const entryOf = (name: AppName): string => join(REPO_ROOT, 'apps', name, 'dist', 'main.js');

export const isBuilt = (name: AppName): boolean => existsSync(entryOf(name));

export class BenchStack {
  private constructor(
    readonly prefix: string,
    readonly database: TestDatabase,
    readonly natsUrl: string,
    readonly apps: Map<AppName, BenchApp>,
  ) {}

  static async start(options: BenchStackOptions = {}): Promise<BenchStack> {
    const prefix = uniquePrefix();
    const database = await createTestDatabase();
    const natsUrl = options.natsUrl ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
    const ports = new Map<AppName, number>();
    for (const name of APP_NAMES) if (isBuilt(name)) ports.set(name, await freePort());
    if (!ports.has('subscriptions-api')) throw new Error('apps/subscriptions-api is not built');
    const common: Record<string, string> = {
      NODE_ENV: 'test',
      NATS_URL: natsUrl,
      DATABASE_URL: database.url,
      STREAM_PREFIX: prefix,
      ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      SUBSCRIPTIONS_API_URL: `http://127.0.0.1:${ports.get('subscriptions-api')}`,
      ...options.env,
    };
    const apps = new Map<AppName, BenchApp>();
    for (const [name, port] of ports) {
      apps.set(
        name,
        new AppProcess(name, entryOf(name), common, port, {
          nodeArgs: options.nodeArgs?.[name] ?? [],
          verbose: options.verbose ?? false,
          keepChunks: 200,
        }),
      );
    }
    const stack = new BenchStack(prefix, database, natsUrl, apps);
    try {
      const api = stack.app('subscriptions-api');
      api.start();
      await api.waitHealthy();
      const rest = [...apps.values()].filter((app) => app.name !== 'subscriptions-api');
      rest.forEach((app) => app.start());
      await Promise.all(rest.map((app) => app.waitHealthy()));
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  app(name: AppName): BenchApp {
    const app = this.apps.get(name);
    if (!app) throw new Error(`${name} is not part of this stack`);
    return app;
  }

  url(name: AppName): string {
    return this.app(name).url;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apps.values()].map((app) => app.stop()));
    await deleteStreamsOfPrefix(this.natsUrl, this.prefix).catch(() => undefined);
    await this.database.drop().catch(() => undefined);
  }
}
