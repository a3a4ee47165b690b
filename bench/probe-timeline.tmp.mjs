import { BenchReceiver, pathOf } from './dist/receiver/receiver.js';
import { StackSession } from './dist/session.js';
import { healthyEndpoints } from './dist/scenarios/latency.js';
import { makeEvent, until } from './dist/util.js';
const receiver = await BenchReceiver.start();
const env = Object.fromEntries((process.env.STACK_ENV ?? '').split(',').filter(Boolean).map((p) => p.split('=')));
const session = new StackSession({ receiver, scale: 1, env, profiled: [], profileDir: '/tmp', verbose: false });
const ctx = await session.context();
const eps = await healthyEndpoints(ctx);
for (let round = 0; round < 2; round++) {
  await ctx.receiver.reset();
  const run = await ctx.publisher.openLoop(1000, 5, (n) => makeEvent(eps[n % eps.length].accountId, n));
  const paths = eps.map((e) => pathOf(e.url));
  await until(async () => (await ctx.receiver.count(paths)) >= 5000, 30000, 100);
  const arrivals = await ctx.receiver.arrivals(paths);
  const byId = new Map(); for (const [k, at] of arrivals) byId.set(k.split('|')[1], at);
  const rows = []; let first;
  for (const [id, due] of run.scheduled) { first ??= due; rows.push([due - first, byId.get(id) - due]); }
  const buckets = new Map();
  for (const [off, lat] of rows) { const b = Math.floor(off / 100); (buckets.get(b) ?? buckets.set(b, []).get(b)).push(lat); }
  console.log('round', round, [...buckets].slice(0, 25).map(([b, l]) => `${b * 100}:${Math.round(l.sort((x, y) => x - y)[l.length >> 1])}/${Math.round(l[l.length - 1])}`).join(' '));
}
await session.discard();
await receiver.stop();
process.exit(0);
