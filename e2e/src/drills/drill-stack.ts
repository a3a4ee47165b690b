/**
 * The four apps against a drill's OWN nats-server(s) and Postgres: what `Stack` does against the shared servers,
 * with the server URLs given, several delivery-workers if asked, and apps restartable one by one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { uniquePrefix } from '@codeplanet/service-kit/testing';
import { AppProcess, REPO_ROOT, type AppName } from '../app-process.js';
import { freePort } from '../ports.js';
import type { PostgresNode } from './postgres-node.js';

export const DRILL_ADMIN_TOKEN = 'drill-admin-token';

export interface DrillStackOptions {
  /** One URL or a comma-separated list (a cluster). */
  natsUrl: string;
  postgres: PostgresNode;
  /** Copies of the delivery-worker (they share the durable consumers). Default 1. */
  workers?: number;
  /** Extra env for every app (RETRY_SCHEDULE, NATS_REPLICAS, ...). */
  env?: Record<string, string>;
  /** Leave the scheduler out (it is not on the delivery path). */
  withoutScheduler?: boolean;
}

export class DrillStack {
  private constructor(
    readonly prefix: string,
    readonly databaseUrl: string,
    readonly apps: AppProcess[],
  ) {}

  static async start(options: DrillStackOptions): Promise<DrillStack> {
    const prefix = uniquePrefix();
    const databaseUrl = await options.postgres.createDatabase(`cpw_drill_${prefix}`);
    const names: AppName[] = ['subscriptions-api', 'audit-log'];
    for (let i = 0; i < (options.workers ?? 1); i++) names.push('delivery-worker');
    // The scheduler is not on the delivery path; a checkout where it is not built yet still drills the rest.
    if (!options.withoutScheduler && existsSync(join(REPO_ROOT, 'apps', 'scheduler', 'dist', 'main.js')))
      names.push('scheduler');
    const ports = await Promise.all(names.map(() => freePort()));
    const common: Record<string, string> = {
      NODE_ENV: 'test',
      NATS_URL: options.natsUrl,
      DATABASE_URL: databaseUrl,
      STREAM_PREFIX: prefix,
      ADMIN_TOKEN: DRILL_ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      SUBSCRIPTIONS_API_URL: `http://127.0.0.1:${ports[0]}`,
      ...options.env,
    };
    const apps = names.map(
      (name, i) => new AppProcess(name, join(REPO_ROOT, 'apps', name, 'dist', 'main.js'), common, ports[i]!),
    );
    const stack = new DrillStack(prefix, databaseUrl, apps);
    try {
      // subscriptions-api first: it provisions the streams and migrates; the others boot in parallel after it.
      const [first, ...rest] = apps;
      first!.start();
      await first!.waitHealthy(90_000);
      rest.forEach((app) => app.start());
      await Promise.all(rest.map((app) => app.waitHealthy(90_000)));
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /** The `index`-th process of that app (several delivery-workers may run). */
  app(name: AppName, index = 0): AppProcess {
    const app = this.apps.filter((a) => a.name === name)[index];
    if (!app) throw new Error(`${name} #${index} is not part of this stack`);
    return app;
  }

  url(name: AppName): string {
    return this.app(name).url;
  }

  get logs(): string {
    return this.apps.map((app) => `----- ${app.name}\n${app.logs}`).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.apps.map((app) => app.stop('SIGTERM', 10_000)));
  }
}
