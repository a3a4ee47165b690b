// `npm start`: install, build, then run the four apps with a demo producer and receiver in one terminal.
// Ctrl-C stops everything.
import { setTimeout as sleep } from 'node:timers/promises';
import { checkServices, installAndBuild, log, pnpmCommand, startChild } from './lib.mjs';

const APPS = [
  ['subscriptions-api', 3001, 33],
  ['delivery-worker', 3003, 35],
  ['audit-log', 3002, 32],
  ['scheduler', 3004, 34],
];

installAndBuild(pnpmCommand());
if (!(await checkServices())) process.exit(1);

// A short ladder so the demo shows retries within seconds; the contract's default is 1m,5m,30m,2h,24h.
const env = { RETRY_SCHEDULE: process.env.RETRY_SCHEDULE ?? '2s,5s,10s,30s,1m' };
const children = [];
const stopAll = () => {
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
};
process.once('SIGINT', stopAll);
process.once('SIGTERM', stopAll);
process.once('SIGHUP', stopAll);
// Never leave the apps running behind a parent that died some other way.
process.once('exit', () => children.forEach((child) => child.kill('SIGTERM')));

async function healthy(port, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await sleep(250);
  }
  return false;
}

for (const [name, port, color] of APPS) {
  log(`starting ${name} on :${port}`);
  children.push(
    startChild(name, color, process.execPath, [`apps/${name}/dist/main.js`], { ...env, PORT: String(port) }),
  );
  if (name === 'subscriptions-api' && !(await healthy(port))) {
    process.stderr.write('subscriptions-api did not become healthy; see its output above\n');
    stopAll();
  }
}
for (const [name, port] of APPS) {
  if (!(await healthy(port))) process.stderr.write(`${name} is not healthy yet; see its output above\n`);
}
log('all apps up: starting the demo producer and receiver');
children.push(startChild('demo', 36, process.execPath, ['examples/demo/dist/demo.js'], env));
