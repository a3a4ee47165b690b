import type { BenchReceiver } from '../receiver/receiver.js';
import { pathOf } from '../receiver/receiver.js';
import type { AuditCounter } from '../system/audit.js';
import type { Endpoint, SubscriptionsClient } from '../system/api.js';
import type { Publisher } from '../system/publisher.js';
import type { BenchStack } from '../system/stack.js';
import { cpuDuring, epochNow, log, until } from '../util.js';

export interface BenchContext {
  stack: BenchStack;
  receiver: BenchReceiver;
  publisher: Publisher;
  audit: AuditCounter;
  subscriptions: SubscriptionsClient;
  /** BENCH_SCALE: 1 for the full run, 0.1 for a quick one. */
  scale: number;
}

export interface AccountEndpoint extends Endpoint {
  key: string;
}

/**
 * Creates `count` endpoints (one account each when `perAccount`, else all in one account) pointing at the
 * receiver under `/<mode>/<tag>-<i>/`, and waits until the worker routes to every one of them: a test event sent
 * through the API has arrived for each.
 */
export async function prepareEndpoints(
  ctx: BenchContext,
  tag: string,
  modes: ('ok' | 'fail' | 'hang')[],
  { perAccount = true, timeoutMs = 60_000 } = {},
): Promise<AccountEndpoint[]> {
  const endpoints: AccountEndpoint[] = [];
  let shared: { id: string; key: string } | undefined;
  for (const [i, mode] of modes.entries()) {
    const account = perAccount || !shared ? await ctx.subscriptions.account(`bench ${tag} ${i}`) : shared;
    shared = account;
    const endpoint = await ctx.subscriptions.endpoint(account, ctx.receiver.url(mode, `${tag}-${i}`));
    endpoints.push({ ...endpoint, key: account.key });
  }
  const routed = await until(
    async () => {
      const pending: AccountEndpoint[] = [];
      for (const endpoint of endpoints)
        if ((await ctx.receiver.count([pathOf(endpoint.url)])) === 0) pending.push(endpoint);
      await Promise.all(
        pending.map((endpoint) => ctx.subscriptions.testEvent(endpoint, endpoint.id).catch(() => '')),
      );
      return pending.length === 0;
    },
    timeoutMs,
    1000,
  );
  if (!routed) throw new Error(`the worker never delivered a test event to some of the ${tag} endpoints`);
  return endpoints;
}

export const pathsOf = (endpoints: Endpoint[]): string[] => endpoints.map((endpoint) => pathOf(endpoint.url));

export interface Completion {
  receivedAt: number | null;
  projectedAt: number | null;
  received: number;
  projected: number;
}

/** Waits until `expected` deliveries arrived and `expected` succeeded rows are projected for these endpoints. */
export async function awaitCompletion(
  ctx: BenchContext,
  endpoints: Endpoint[],
  expected: number,
  timeoutMs: number,
): Promise<Completion> {
  const paths = pathsOf(endpoints);
  const ids = endpoints.map((endpoint) => endpoint.id);
  const result: Completion = { receivedAt: null, projectedAt: null, received: 0, projected: 0 };
  const deadline = Date.now() + timeoutMs;
  let lastLog = Date.now();
  await until(
    async () => {
      if (result.receivedAt === null) {
        result.received = await ctx.receiver.count(paths);
        if (result.received >= expected) result.receivedAt = epochNow();
        else if (Date.now() - lastLog > 10_000) {
          lastLog = Date.now();
          log(`  … ${result.received}/${expected} received`);
        }
      }
      // Only the receiver is polled at first: counting rows every 50 ms would load the database under test.
      if (result.receivedAt !== null) {
        result.projected = await ctx.audit.count(ids);
        if (result.projected >= expected) result.projectedAt = epochNow();
        else if (Date.now() - lastLog > 10_000) {
          lastLog = Date.now();
          log(`  … ${result.projected}/${expected} projected`);
        }
      }
      return result.projectedAt !== null || Date.now() > deadline;
    },
    timeoutMs + 1000,
    50,
  );
  if (result.projectedAt === null) result.projected = await ctx.audit.count(ids);
  return result;
}

/** Measures CPU seconds per process (apps, receiver, this load generator, NATS, Postgres) around `run`. */
export async function withCpu<T>(
  ctx: BenchContext,
  run: () => Promise<T>,
): Promise<T & { cpu: Record<string, number> }> {
  const pids = (): Record<string, number | undefined> => ({
    ...Object.fromEntries([...ctx.stack.apps.values()].map((app) => [app.name, app.pid])),
    receiver: ctx.receiver.pid,
    'bench (load generator)': process.pid,
  });
  const { result, cpu } = await cpuDuring(pids, run);
  return { ...result, cpu };
}
