import { join } from 'node:path';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '@codeplanet/service-kit/testing';
import { APP_NAMES, AppProcess, REPO_ROOT, type AppName } from './app-process.js';
import { freePort } from './ports.js';
import { deleteStreamsOfPrefix } from './streams.js';

export interface StackOptions {
  /** Which apps to run (all four by default). */
  apps?: readonly AppName[];
  /** Extra env for every app, e.g. `RETRY_SCHEDULE`. */
  env?: Record<string, string>;
  /** Extra env per app. */
  appEnv?: Partial<Record<AppName, Record<string, string>>>;
  natsUrl?: string;
}

export const STACK_ADMIN_TOKEN = 'e2e-admin-token';

/**
 * The whole system as separate processes on one unique stream prefix and database: what a deployment runs,
 * shrunk to one machine. `stop()` kills the processes, deletes the streams and drops the database.
 */
export class Stack {
  private constructor(
    readonly prefix: string,
    readonly database: TestDatabase,
    readonly natsUrl: string,
    readonly apps: Map<string, AppProcess>,
  ) {}

  static async start(options: StackOptions = {}): Promise<Stack> {
    const prefix = uniquePrefix();
    const database = await createTestDatabase();
    const natsUrl = options.natsUrl ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
    const apps = new Map<string, AppProcess>();
    const ports = new Map<AppName, number>();
    for (const name of options.apps ?? APP_NAMES) ports.set(name, await freePort());
    const subscriptionsPort = ports.get('subscriptions-api');
    const common: Record<string, string> = {
      NODE_ENV: 'test',
      NATS_URL: natsUrl,
      DATABASE_URL: database.url,
      STREAM_PREFIX: prefix,
      ADMIN_TOKEN: STACK_ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      ...(subscriptionsPort ? { SUBSCRIPTIONS_API_URL: `http://127.0.0.1:${subscriptionsPort}` } : {}),
      ...options.env,
    };
    for (const [name, port] of ports) {
      const entry = join(REPO_ROOT, 'apps', name, 'dist', 'main.js');
      apps.set(name, new AppProcess(name, entry, { ...common, ...options.appEnv?.[name] }, port));
    }
    const stack = new Stack(prefix, database, natsUrl, apps);
    try {
      // subscriptions-api first: it provisions streams and migrates; the rest start in parallel after.
      for (const group of [
        ['subscriptions-api'],
        [...apps.keys()].filter((n) => n !== 'subscriptions-api'),
      ]) {
        const started = group.map((name) => apps.get(name)).filter((app) => app !== undefined);
        started.forEach((app) => app.start());
        await Promise.all(started.map((app) => app.waitHealthy()));
      }
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  app(name: AppName): AppProcess {
    const app = this.apps.get(name);
    if (!app) throw new Error(`${name} is not part of this stack`);
    return app;
  }

  url(name: AppName): string {
    return this.app(name).url;
  }

  /** Everything every app printed, for log assertions (secret hygiene). */
  get logs(): string {
    return [...this.apps.values()].map((app) => app.logs).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apps.values()].map((app) => app.stop()));
    await deleteStreamsOfPrefix(this.natsUrl, this.prefix).catch(() => undefined);
    await this.database.drop().catch(() => undefined);
  }
}
