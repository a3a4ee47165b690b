import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const APP_NAMES = ['subscriptions-api', 'delivery-worker', 'audit-log', 'scheduler'] as const;
export type AppName = (typeof APP_NAMES)[number];

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface AppProcessOptions {
  /** Node flags before the entry, e.g. `['--cpu-prof', '--cpu-prof-dir=/tmp/prof']`. */
  nodeArgs?: string[];
  /** Echo the app's output to stderr (default: when E2E_VERBOSE is set). */
  verbose?: boolean;
  /** Keep only the last this many output chunks (default: all, for assertions on logs). */
  keepChunks?: number;
}

/** One app running as its own process (`node apps/<app>/dist/main.js`), with its output kept for assertions. */
export class AppProcess {
  private child: ChildProcess | undefined;
  private output: string[] = [];
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly env: Record<string, string>,
    readonly port: number,
    private readonly options: AppProcessOptions = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get logs(): string {
    return this.output.join('');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const child = spawn(process.execPath, [...(this.options.nodeArgs ?? []), this.entry], {
      env: { ...process.env, ...this.env, PORT: String(this.port), NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const verbose = this.options.verbose ?? Boolean(process.env.E2E_VERBOSE);
    const keepChunks = this.options.keepChunks ?? Infinity;
    const keep = (chunk: Buffer): void => {
      this.output.push(chunk.toString());
      if (this.output.length > keepChunks) this.output.splice(0, this.output.length - keepChunks);
      if (verbose) process.stderr.write(`[${this.name}] ${chunk.toString()}`);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
  }

  /** Resolves once GET /health answers 200, or fails with the app's output. */
  async waitHealthy(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) break;
      const ok = await fetch(`${this.url}/health`)
        .then((response) => response.status === 200)
        .catch(() => false);
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name} did not become healthy; output:\n${this.logs.slice(-4000)}`);
  }

  /** SIGKILL simulates a crash; SIGTERM a graceful stop. Resolves when the process is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
