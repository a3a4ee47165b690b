import { BenchReceiver, pathOf } from './dist/receiver/receiver.js';
import { StackSession } from './dist/session.js';
import { healthyEndpoints } from './dist/scenarios/latency.js';
import { makeEvent, until, epochNow } from './dist/util.js';
const receiver = await BenchReceiver.start();
const env = Object.fromEntries((process.env.STACK_ENV ?? '').split(',').filter(Boolean).map((p) => p.split('=')));
const session = new StackSession({ receiver, scale: 1, env, profiled: [], profileDir: '/tmp', verbose: false });
const ctx = await session.context();
const t0 = epochNow();
if (process.env.RENICE) {
  const { execFileSync } = await import('node:child_process');
  for (const app of process.env.RENICE_APPS.split(',')) execFileSync('renice', ['-n', process.env.RENICE, '-p', String(ctx.stack.app(app).pid)]);
}
const eps = await healthyEndpoints(ctx);
const secs = Number(process.env.SECS ?? 90);
for (const [round, dur] of [[0, 5], [1, secs]]) {
  await ctx.receiver.reset();
  const run = await ctx.publisher.openLoop(1000, dur, (n) => makeEvent(eps[n % eps.length].accountId, n));
  const paths = eps.map((e) => pathOf(e.url));
  await until(async () => (await ctx.receiver.count(paths)) >= dur * 1000, 30000, 100);
  const arrivals = await ctx.receiver.arrivals(paths);
  const byId = new Map(); for (const [k, at] of arrivals) byId.set(k.split('|')[1], at);
  const buckets = new Map();
  for (const [id, due] of run.scheduled) { const b = Math.floor((due - t0) / 250); (buckets.get(b) ?? buckets.set(b, []).get(b)).push(byId.get(id) - due); }
  const all = [...buckets.values()].flat().sort((a, b) => a - b);
  if (round === 1) console.log('RENICE', process.env.RENICE ?? 0, 'p50', all[all.length >> 1].toFixed(1), 'p99', all[Math.floor(all.length * 0.99)].toFixed(1), 'n>25', all.filter((x) => x > 25).length);
  if (round === 1 && process.env.TIMELINE) console.log([...buckets].filter(([, l]) => Math.max(...l) > 25).map(([b, l]) => `${(b / 4).toFixed(2)}s:max${Math.round(Math.max(...l))}/n>25:${l.filter((x) => x > 25).length}`).join('\n'));
}
await session.discard();
await receiver.stop();
process.exit(0);
