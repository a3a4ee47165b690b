/**
 * The running stack and its clients, started on first use. A scenario that could not finish leaves work queued that
 * would pollute the next one, so `discard()` replaces the stack; peak memory is kept as the maximum over every stack.
 */
import { mkdirSync } from 'node:fs';
import { APP_NAMES, type AppName } from '@codeplanet/e2e';
import type { BenchReceiver } from './receiver/receiver.js';
import type { BenchContext } from './scenarios/context.js';
import { AuditCounter } from './system/audit.js';
import { SubscriptionsClient } from './system/api.js';
import { Publisher } from './system/publisher.js';
import { BENCH_ADMIN_TOKEN, BenchStack } from './system/stack.js';
import { log, memoryOf } from './util.js';

export interface SessionOptions {
  receiver: BenchReceiver;
  scale: number;
  env: Record<string, string>;
  profiled: AppName[];
  profileDir: string;
  verbose: boolean;
}

export class StackSession {
  private ctx: BenchContext | undefined;
  private generation = 0;
  /** Peak RSS (MiB) per app over every stack of the run. */
  readonly peaks = new Map<string, number>();
  readonly missingApps = new Set<string>();

  constructor(private readonly options: SessionOptions) {}

  async context(): Promise<BenchContext> {
    if (this.ctx) return this.ctx;
    const { receiver, scale, env, profiled, profileDir, verbose } = this.options;
    if (profiled.length) mkdirSync(profileDir, { recursive: true });
    this.generation += 1;
    log(`starting the stack (four apps)${this.generation > 1 ? `, #${this.generation}` : ''}`);
    const stack = await BenchStack.start({
      verbose,
      env,
      nodeArgs: Object.fromEntries(
        APP_NAMES.map((app) => [
          app,
          [
            ...(profiled.includes(app)
              ? [
                  '--cpu-prof',
                  `--cpu-prof-dir=${profileDir}`,
                  `--cpu-prof-name=${app}-${Date.now()}.cpuprofile`,
                ]
              : []),
          ],
        ]),
      ),
    });
    for (const app of APP_NAMES) if (!stack.apps.has(app)) this.missingApps.add(app);
    const publisher = await Publisher.connect(stack.natsUrl, stack.prefix);
    const audit = await AuditCounter.connect(stack.database.url);
    const subscriptions = new SubscriptionsClient(stack.url('subscriptions-api'), BENCH_ADMIN_TOKEN);
    this.ctx = { stack, receiver, publisher, audit, subscriptions, scale };
    return this.ctx;
  }

  /** Reads every app's peak RSS now (call before a stack goes away, and at the end). */
  async sampleMemory(): Promise<void> {
    if (!this.ctx) return;
    for (const app of this.ctx.stack.apps.values()) {
      const peak = (await memoryOf(app.pid))?.peakMb;
      if (peak !== undefined) this.peaks.set(app.name, Math.max(this.peaks.get(app.name) ?? 0, peak));
    }
  }

  /** Stops the current stack (its queued work goes with its streams); the next `context()` starts a fresh one. */
  async discard(): Promise<void> {
    const ctx = this.ctx;
    if (!ctx) return;
    await this.sampleMemory();
    this.ctx = undefined;
    await ctx.publisher.close().catch(() => undefined);
    await ctx.audit.close().catch(() => undefined);
    await ctx.stack.stop().catch(() => undefined);
    await ctx.receiver.reset();
  }
}
