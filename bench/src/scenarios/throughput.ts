/**
 * Closed-loop throughput: publish as fast as acks return, count deliveries/s until every delivery has arrived at the
 * receiver AND is projected as succeeded in audit-log. Also the backlog drain: events queued while the worker is
 * down, then drained by a fresh worker.
 */
import { epochNow, log, makeEvent } from '../util.js';
import {
  awaitCompletion,
  prepareEndpoints,
  withCpu,
  type AccountEndpoint,
  type BenchContext,
} from './context.js';

/** How long a throughput scenario may run before it is reported INCOMPLETE (BENCH_TIMEOUT seconds). */
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT ?? 240) * 1000;

export interface ThroughputResult {
  name: string;
  events: number;
  deliveries: number;
  /** Publish start → last delivery received. */
  receivedSeconds: number | null;
  /** Publish start → last delivery projected (the headline). */
  seconds: number | null;
  perSecond: number | null;
  received: number;
  projected: number;
  publishErrors: number;
  duplicates: number;
  /** CPU seconds per process during the scenario. */
  cpu?: Record<string, number>;
}

async function closedLoop(
  ctx: BenchContext,
  name: string,
  endpoints: AccountEndpoint[],
  events: number,
  timeoutMs: number,
): Promise<ThroughputResult> {
  const accountId = endpoints[0]!.accountId;
  const deliveries = events * endpoints.length;
  await ctx.receiver.reset();
  log(`${name}: publishing ${events} events → ${deliveries} deliveries`);
  const started = epochNow();
  const publishing = ctx.publisher.closedLoop(events, (n) => makeEvent(accountId, n));
  const done = await awaitCompletion(ctx, endpoints, deliveries, timeoutMs);
  const { errors } = await publishing;
  const stats = await ctx.receiver.stats();
  return summarize(name, events, deliveries, started, done, errors, stats.duplicates);
}

function summarize(
  name: string,
  events: number,
  deliveries: number,
  started: number,
  done: Awaited<ReturnType<typeof awaitCompletion>>,
  publishErrors: number,
  duplicates: number,
): ThroughputResult {
  const seconds = done.projectedAt === null ? null : (done.projectedAt - started) / 1000;
  return {
    name,
    events,
    deliveries,
    receivedSeconds: done.receivedAt === null ? null : (done.receivedAt - started) / 1000,
    seconds,
    perSecond: seconds === null ? null : deliveries / seconds,
    received: done.received,
    projected: done.projected,
    publishErrors,
    duplicates,
  };
}

export async function closedLoopOneEndpoint(ctx: BenchContext): Promise<ThroughputResult> {
  const events = Math.round(50_000 * ctx.scale);
  const endpoints = await prepareEndpoints(ctx, 'closed', ['ok']);
  return withCpu(ctx, () =>
    closedLoop(ctx, `closed-loop ${events} events → 1 endpoint`, endpoints, events, TIMEOUT_MS),
  );
}

export async function closedLoopFanOut(ctx: BenchContext): Promise<ThroughputResult> {
  const events = Math.round(5_000 * ctx.scale);
  const endpoints = await prepareEndpoints(
    ctx,
    'fanout',
    Array.from({ length: 20 }, () => 'ok' as const),
    {
      perAccount: false,
    },
  );
  return withCpu(ctx, () =>
    closedLoop(ctx, `closed-loop ${events} events × 20 endpoints`, endpoints, events, TIMEOUT_MS),
  );
}

/**
 * Backlog: with the delivery-worker stopped, queue `100k × scale` events for 10 endpoints (10 accounts), then
 * start the worker and time the drain (worker start → every delivery received and projected).
 */
export async function backlogDrain(ctx: BenchContext): Promise<ThroughputResult & { queueSeconds: number }> {
  const events = Math.round(100_000 * ctx.scale);
  const endpoints = await prepareEndpoints(
    ctx,
    'backlog',
    Array.from({ length: 10 }, () => 'ok' as const),
  );
  const worker = ctx.stack.app('delivery-worker');
  await worker.stop('SIGTERM');
  await ctx.receiver.reset();
  log(`backlog: worker stopped, queueing ${events} events`);
  const queued = epochNow();
  const { errors } = await ctx.publisher.closedLoop(events, (n) =>
    makeEvent(endpoints[n % endpoints.length]!.accountId, n),
  );
  const queueSeconds = (epochNow() - queued) / 1000;
  log(`backlog: queued in ${queueSeconds.toFixed(1)} s, starting the worker`);
  const started = epochNow();
  worker.start();
  await worker.waitHealthy();
  const done = await awaitCompletion(ctx, endpoints, events, TIMEOUT_MS);
  const stats = await ctx.receiver.stats();
  return {
    ...summarize(
      `backlog ${events} queued events drain`,
      events,
      events,
      started,
      done,
      errors,
      stats.duplicates,
    ),
    queueSeconds,
  };
}
