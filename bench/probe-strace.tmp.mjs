import { execFile } from 'node:child_process';
import { BenchReceiver } from './dist/receiver/receiver.js';
import { StackSession } from './dist/session.js';
import { healthyEndpoints, openLoop } from './dist/scenarios/latency.js';
const receiver = await BenchReceiver.start();
const env = Object.fromEntries((process.env.STACK_ENV ?? '').split(',').filter(Boolean).map((p) => p.split('=')));
const session = new StackSession({ receiver, scale: 0.5, env, profiled: [], profileDir: '/tmp', verbose: false });
const ctx = await session.context();
const eps = await healthyEndpoints(ctx);
const pid = ctx.stack.app(process.env.APP ?? 'delivery-worker').pid;
const run = openLoop(ctx, eps, 1000);
await new Promise((r) => setTimeout(r, 5000));
const out = await new Promise((resolve) =>
  execFile('timeout', ['-s', 'INT', '5', 'strace', '-c', '-f', '-p', String(pid)], (e, so, se) => resolve(se)),
);
console.log(out.split('\n').slice(12, 34).join('\n'));
const r = await run;
console.log(JSON.stringify({ latency: r.latency, cpu: r.cpu }));
await session.discard();
await receiver.stop();
process.exit(0);
