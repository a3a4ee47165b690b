/**
 * Open-loop latency: events at a fixed rate, each with a scheduled send time; latency = first byte at the receiver
 * − scheduled time, so a stall anywhere (publisher included) shows up instead of being hidden. The noisy-neighbour
 * run adds a hanging and a 500-ing endpoint, each getting as many events as one healthy endpoint, on top of the
 * same healthy load.
 */
import { pathOf } from '../receiver/receiver.js';
import { log, makeEvent, percentiles, until, type Percentiles } from '../util.js';
import { pathsOf, prepareEndpoints, withCpu, type AccountEndpoint, type BenchContext } from './context.js';

export interface LatencyResult {
  name: string;
  rate: number;
  seconds: number;
  events: number;
  /** Deliveries to healthy endpoints expected / measured. */
  expected: number;
  latency: Percentiles;
  missing: number;
  publishErrors: number;
  publisherLateMaxMs: number;
  /** Where the deliveries slower than the p99 fall in the run: steady jitter, or a few stalls. */
  slow: SlowSpread;
  cpu?: Record<string, number>;
  /** The warm-up run before the measured one (BENCH_WARMUP), on the same endpoints at the same rate. */
  coldStart?: Percentiles;
}

export interface SlowSpread {
  /** How many of the run's seconds (by scheduled time) hold at least one delivery slower than the p99. */
  seconds: number;
  /** The second holding the most of them (0 = the run's first second), and how many it holds. */
  worstSecond: number;
  worstCount: number;
}

/** Groups the deliveries slower than `threshold` by the second of the run in which they were due. */
export function slowSpread(
  samples: { dueOffsetMs: number; latencyMs: number }[],
  threshold: number,
): SlowSpread {
  const perSecond = new Map<number, number>();
  for (const { dueOffsetMs, latencyMs } of samples) {
    if (!(latencyMs > threshold)) continue;
    const second = Math.floor(dueOffsetMs / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  let worstSecond = 0;
  let worstCount = 0;
  for (const [second, count] of perSecond) {
    if (count > worstCount) [worstSecond, worstCount] = [second, count];
  }
  return { seconds: perSecond.size, worstSecond, worstCount };
}

const HEALTHY = 10;

export async function healthyEndpoints(ctx: BenchContext): Promise<AccountEndpoint[]> {
  return prepareEndpoints(
    ctx,
    'open',
    Array.from({ length: HEALTHY }, () => 'ok' as const),
  );
}

/**
 * BENCH_WARMUP: seconds at the same rate, to the same endpoints, before the measured run (not counted). Node's
 * code runs in the interpreter until it is hot: on a fresh stack at 1,000/s the median latency climbed to ~0.5 s
 * within the first second and was back under 10 ms only after ~2.5 s, so without a warm-up the p99 measures
 * start-up, not the rate. The warm-up's own figures are kept (`coldStart`), so that cost stays visible.
 */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 5);

export async function openLoop(
  ctx: BenchContext,
  healthy: AccountEndpoint[],
  healthyRate: number,
  { noisy = [] as AccountEndpoint[], name = '' } = {},
): Promise<LatencyResult> {
  const targets = [...healthy, ...noisy];
  const rate = (healthyRate * targets.length) / healthy.length;
  const seconds = Math.max(5, Math.round(30 * ctx.scale));
  const label = name || `open-loop ${healthyRate}/s`;
  let coldStart: Percentiles | undefined;
  if (WARMUP_SECONDS > 0) {
    log(`${label}: warming up, ${rate}/s for ${WARMUP_SECONDS} s (not counted)`);
    coldStart = (await runPhase(ctx, healthy, targets, rate, WARMUP_SECONDS)).latency;
  }
  log(`${label}: ${rate}/s for ${seconds} s over ${targets.length} endpoints`);
  const measured = await withCpu(ctx, () => runPhase(ctx, healthy, targets, rate, seconds));
  return { name: label, rate, seconds, ...measured, ...(coldStart ? { coldStart } : {}) };
}

type Phase = Omit<LatencyResult, 'name' | 'rate' | 'seconds' | 'coldStart' | 'cpu'>;

/** Publishes at `rate` for `seconds`, waits for the healthy endpoints' deliveries, and measures them. */
async function runPhase(
  ctx: BenchContext,
  healthy: AccountEndpoint[],
  targets: AccountEndpoint[],
  rate: number,
  seconds: number,
): Promise<Phase> {
  await ctx.receiver.reset();
  const healthyPath = new Map(healthy.map((endpoint) => [endpoint.accountId, pathOf(endpoint.url)]));
  const run = await ctx.publisher.openLoop(rate, seconds, (n) =>
    makeEvent(targets[n % targets.length]!.accountId, n),
  );
  // Which healthy deliveries to expect: every scheduled event addressed to a healthy endpoint's account.
  const expected: [string, number][] = [];
  let n = 0;
  for (const [id, due] of run.scheduled) {
    const path = healthyPath.get(targets[n % targets.length]!.accountId);
    if (path) expected.push([`${path}|${id}`, due]);
    n += 1;
  }
  const paths = pathsOf(healthy);
  await until(async () => (await ctx.receiver.count(paths)) >= expected.length, 60_000, 100);
  const arrivals = await ctx.receiver.arrivals(paths);
  const samples: { dueOffsetMs: number; latencyMs: number }[] = [];
  const firstDue = expected[0]?.[1] ?? 0;
  let missing = 0;
  for (const [key, due] of expected) {
    const at = arrivals.get(key);
    if (at === undefined) missing += 1;
    else samples.push({ dueOffsetMs: due - firstDue, latencyMs: at - due });
  }
  const latency = percentiles(samples.map((sample) => sample.latencyMs));
  return {
    events: run.scheduled.size,
    expected: expected.length,
    latency,
    missing,
    publishErrors: run.errors,
    publisherLateMaxMs: run.lateMaxMs,
    slow: slowSpread(samples, latency.p99),
  };
}

export async function noisyEndpoints(ctx: BenchContext): Promise<AccountEndpoint[]> {
  return prepareEndpoints(ctx, 'noisy', ['hang', 'fail']);
}
