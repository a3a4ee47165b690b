/**
 * The four apps as child processes on one unique stream prefix and database (like `Stack` from @codeplanet/e2e),
 * plus what a benchmark needs on top: extra node flags per app (`--cpu-prof`), restarts, and each process's pid
 * for /proc memory readings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { APP_NAMES, REPO_ROOT, deleteStreamsOfPrefix, freePort, type AppName } from '@codeplanet/e2e';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '@codeplanet/service-kit/testing';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token';

export interface BenchStackOptions {
  env?: Record<string, string>;
  /** Node flags per app, e.g. `{ 'delivery-worker': ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] }`. */
  nodeArgs?: Partial<Record<AppName, string[]>>;
  natsUrl?: string;
  verbose?: boolean;
}

export class BenchApp {
  private child: ChildProcess | undefined;
  private tail: string[] = [];
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: AppName,
    private readonly env: Record<string, string>,
    private readonly nodeArgs: string[],
    readonly port: number,
    private readonly verbose: boolean,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get logs(): string {
    return this.tail.join('');
  }

  start(): void {
    const entry = join(REPO_ROOT, 'apps', this.name, 'dist', 'main.js');
    const child = spawn(process.execPath, [...this.nodeArgs, entry], {
      env: { ...process.env, ...this.env, PORT: String(this.port), NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      this.tail.push(chunk.toString());
      if (this.tail.length > 200) this.tail.splice(0, this.tail.length - 200);
      if (this.verbose) process.stderr.write(`[${this.name}] ${chunk.toString()}`);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
  }

  async waitHealthy(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) break;
      const ok = await fetch(`${this.url}/health`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name} did not become healthy; output:\n${this.logs.slice(-4000)}`);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export const isBuilt = (name: AppName): boolean =>
  existsSync(join(REPO_ROOT, 'apps', name, 'dist', 'main.js'));

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
        new BenchApp(name, common, options.nodeArgs?.[name] ?? [], port, options.verbose ?? false),
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
