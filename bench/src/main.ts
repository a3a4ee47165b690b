/**
 * `pnpm bench` (via scripts/bench.mjs, which builds first): baselines, then the real system, one table.
 *
 * Env: BENCH_SCALE (1 = full; 0.1 = quick), BENCH_ONLY (comma list of baselines,closed,fanout,open,backlog,noisy),
 * BENCH_PROFILE (comma list of apps to run with --cpu-prof; profiles land in bench/.profiles),
 * BENCH_OUTPUT (markdown file to write; default ../BENCHMARKS.md), BENCH_VERBOSE=1 (app logs to stderr),
 * BENCH_WARMUP (seconds of unmeasured load before each latency run; default 5).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { APP_NAMES, type AppName } from '@codeplanet/e2e';
import { runBullmq } from './baselines/bullmq.js';
import { runCeiling } from './baselines/ceiling.js';
import { BenchReceiver } from './receiver/receiver.js';
import { describeMachine, markdown, table, targetLines, targets, type BenchResults } from './report.js';
import type { BenchContext } from './scenarios/context.js';
import { healthyEndpoints, noisyEndpoints, openLoop, type LatencyResult } from './scenarios/latency.js';
import {
  backlogDrain,
  closedLoopFanOut,
  closedLoopOneEndpoint,
  type ThroughputResult,
} from './scenarios/throughput.js';
import { StackSession } from './session.js';
import { log } from './util.js';

// `node bench/dist/main.js --render <results.json>`: rewrite the markdown from a saved run (e.g. after editing
// FINDINGS.md), without measuring anything.
if (process.argv[2] === '--render') {
  const saved = JSON.parse(readFileSync(process.argv[3] ?? '', 'utf8')) as BenchResults;
  const target = process.env.BENCH_OUTPUT ?? fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));
  writeFileSync(target, markdown(saved));
  process.stdout.write(`${table(saved)}\n\n${targetLines(targets(saved))}\n`);
  process.exit(0);
}

const scale = Number(process.env.BENCH_SCALE ?? 1);
if (!(scale > 0)) throw new Error(`BENCH_SCALE must be a positive number (got ${process.env.BENCH_SCALE})`);
const only = new Set(
  (process.env.BENCH_ONLY ?? 'baselines,closed,fanout,open,backlog,noisy').split(',').map((s) => s.trim()),
);
const profiled = (process.env.BENCH_PROFILE ?? '')
  .split(',')
  .filter((s): s is AppName => (APP_NAMES as readonly string[]).includes(s));
/** BENCH_STACK_ENV='ENDPOINT_MAX_IN_FLIGHT=64,LOG_LEVEL=info': extra env for every app, for experiments. */
const stackEnv = Object.fromEntries(
  (process.env.BENCH_STACK_ENV ?? '')
    .split(',')
    .filter((pair) => pair.includes('='))
    .map((pair) => [pair.slice(0, pair.indexOf('=')).trim(), pair.slice(pair.indexOf('=') + 1).trim()]),
);
/** BENCH_RATES: the open-loop rates (events/s); the issue's are 500 and 1,000. */
const rates = (process.env.BENCH_RATES ?? '500,1000')
  .split(',')
  .map(Number)
  .filter((r) => r > 0);
/** BENCH_NOISY_RATE: healthy events/s of the noisy-neighbour comparison (the issue's: 1,000). */
const noisyRate = Number(process.env.BENCH_NOISY_RATE ?? 1000);
const benchDir = fileURLToPath(new URL('..', import.meta.url));
const output = process.env.BENCH_OUTPUT ?? fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));

function versionOf(command: string, args: string[]): string {
  try {
    return (
      execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .trim()
        .split('\n')[0] ?? ''
    );
  } catch {
    return '';
  }
}

const results: BenchResults = {
  date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
  // Every knob that changes what is measured, so the command in BENCHMARKS.md reproduces the run.
  command: [
    ...(scale === 1 ? [] : [`BENCH_SCALE=${scale}`]),
    ...['BENCH_ONLY', 'BENCH_RATES', 'BENCH_NOISY_RATE', 'BENCH_WARMUP', 'BENCH_TIMEOUT', 'BENCH_STACK_ENV']
      .filter((name) => process.env[name])
      .map((name) => `${name}='${process.env[name]}'`),
    'pnpm bench',
  ].join(' '),
  scale,
  machine: describeMachine(
    [
      versionOf('nats-server', ['--version']),
      versionOf('psql', ['--version']),
      versionOf('redis-server', ['--version']).split(' ').slice(0, 3).join(' '),
    ]
      .filter(Boolean)
      .map((v) => `, ${v}`)
      .join(''),
  ),
  throughput: [],
  latency: [],
  memory: [],
  notes: [],
};

const receiver = await BenchReceiver.start();
const session = new StackSession({
  receiver,
  scale,
  env: stackEnv,
  profiled,
  profileDir: `${benchDir}.profiles`,
  verbose: process.env.BENCH_VERBOSE === '1',
});
/** Runs one scenario; if it could not finish, the stack is replaced so its leftovers do not pollute the next. */
async function scenario<T>(
  run: (ctx: BenchContext) => Promise<T>,
  finished: (result: T) => boolean,
): Promise<T> {
  const result = await run(await session.context());
  if (!finished(result)) {
    log('  the scenario did not finish in time: replacing the stack');
    await session.discard();
  }
  return result;
}
const complete = (t: ThroughputResult): boolean => t.seconds !== null;
const noneMissing = (l: LatencyResult): boolean => l.missing === 0;

try {
  if (only.has('baselines')) {
    const n = Math.round(50_000 * scale);
    log(`ceiling: ${n} signed POSTs, 64 in flight`);
    results.ceiling = await runCeiling(receiver.url('ok', 'ceiling'), n);
    log(`ceiling: ${Math.round(results.ceiling.perSecond)}/s`);
    log(`BullMQ: ${n} jobs, concurrency 64`);
    results.bullmq = await runBullmq(receiver, n);
    log(`BullMQ: ${Math.round(results.bullmq.perSecond)}/s`);
  }
  if (only.has('closed')) results.throughput.push(await scenario(closedLoopOneEndpoint, complete));
  if (only.has('fanout')) results.throughput.push(await scenario(closedLoopFanOut, complete));
  if (only.has('open')) {
    for (const rate of rates) {
      results.latency.push(
        await scenario(async (ctx) => openLoop(ctx, await healthyEndpoints(ctx), rate), noneMissing),
      );
    }
  }
  if (only.has('backlog')) {
    results.backlog = await scenario(backlogDrain, complete);
    await session.sampleMemory();
  }
  if (only.has('noisy')) {
    const clean =
      results.latency.find((l) => l.name === `open-loop ${noisyRate}/s`) ??
      (await scenario(async (ctx) => openLoop(ctx, await healthyEndpoints(ctx), noisyRate), noneMissing));
    const noisy = await scenario(
      async (ctx) =>
        openLoop(ctx, await healthyEndpoints(ctx), noisyRate, {
          noisy: await noisyEndpoints(ctx),
          name: `noisy neighbour ${noisyRate}/s (healthy endpoints)`,
        }),
      () => true,
    );
    results.latency.push(noisy);
    results.noisy = { clean, noisy };
  }
} catch (error) {
  results.notes.push(
    `the run stopped early: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
  );
  process.exitCode = 1;
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  await session.discard().catch(() => undefined);
  await receiver.stop();
}
for (const [app, peakMb] of session.peaks) results.memory.push({ app, peakMb });
for (const app of session.missingApps) results.notes.push(`${app} was not built, so it did not run`);

for (const t of [...results.throughput, ...(results.backlog ? [results.backlog] : [])]) {
  if (t.duplicates > 0) results.notes.push(`${t.name}: ${t.duplicates} duplicate deliveries at the receiver`);
  if (t.publishErrors > 0) results.notes.push(`${t.name}: ${t.publishErrors} publish errors`);
}
for (const t of [...results.throughput, ...(results.backlog ? [results.backlog] : [])]) {
  if (t.receivedSeconds !== null && t.seconds !== null) {
    results.notes.push(
      `${t.name}: every delivery received after ${t.receivedSeconds.toFixed(1)} s ` +
        `(${Math.round(t.deliveries / t.receivedSeconds).toLocaleString('en-US')}/s), projected after ${t.seconds.toFixed(1)} s`,
    );
  }
}
/** `label 1.2, label 0.4 (1.6 s in all, 0.32 ms per delivery)`: the figure the throughput targets come down to. */
function cpuLine(cpu: Record<string, number>, deliveries: number): string {
  const total = Object.values(cpu).reduce((sum, s) => sum + s, 0);
  const perDelivery = ((total * 1000) / deliveries).toFixed(2);
  return `${cpuParts(cpu)} (${total.toFixed(1)} s in all, ${perDelivery} ms per delivery)`;
}
function cpuParts(cpu: Record<string, number>): string {
  return Object.entries(cpu)
    .map(([label, s]) => `${label} ${s}`)
    .join(', ');
}
if (results.bullmq?.cpu) {
  results.notes.push(
    `BullMQ dispatcher: CPU seconds — ${cpuLine(results.bullmq.cpu, results.bullmq.deliveries)}`,
  );
}
for (const t of results.throughput) {
  if (t.cpu) {
    results.notes.push(
      `${t.name}: CPU seconds — ${cpuLine(t.cpu, t.deliveries)} (wall ${t.seconds?.toFixed(1) ?? '—'} s, 2 cores)`,
    );
  }
}
for (const l of results.latency) {
  if (l.coldStart)
    results.notes.push(
      `${l.name}: the warm-up before it (not counted) had p50 ${l.coldStart.p50.toFixed(1)} ms, ` +
        `p99 ${l.coldStart.p99.toFixed(1)} ms, max ${l.coldStart.max.toFixed(1)} ms`,
    );
  if (l.slow.seconds > 0)
    results.notes.push(
      `${l.name}: the deliveries slower than the p99 were due in ${l.slow.seconds} of ${l.seconds} seconds ` +
        `(most in second ${l.slow.worstSecond}: ${l.slow.worstCount})`,
    );
  if (l.cpu) results.notes.push(`${l.name}: CPU seconds — ${cpuParts(l.cpu)}`);
  if (l.publisherLateMaxMs > 20)
    results.notes.push(
      `${l.name}: the publisher itself ran up to ${l.publisherLateMaxMs.toFixed(0)} ms behind schedule (included in latency)`,
    );
}
mkdirSync(`${benchDir}.results`, { recursive: true });
const json = `${JSON.stringify(results, null, 2)}\n`;
writeFileSync(`${benchDir}.results/last.json`, json);
writeFileSync(`${benchDir}.results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`, json);
process.stdout.write(`\n${table(results)}\n\n${targetLines(targets(results))}\n`);
if (results.notes.length) process.stdout.write(`\n${results.notes.map((n) => `- ${n}`).join('\n')}\n`);
if (process.env.BENCH_OUTPUT !== '-') {
  writeFileSync(output, markdown(results));
  log(`written to ${output}`);
}
