#!/usr/bin/env node
// Throughput of first attempts to ONE fast endpoint, measured against the real NATS and a real `dist/main.js`.
// Not a test: it prints numbers. Build first (`pnpm --filter @codeplanet/delivery-worker build`), then:
//
//   node apps/delivery-worker/scripts/measure-throughput.mjs [scenario ...]
//
// Scenarios (default: all):
//   backlog  N tasks for the fast endpoint are queued on DELIVERIES, then a fresh worker drains them
//   mixed    the same, behind HANG tasks for an endpoint that never answers (isolation must hold)
//   burst    a running, idle worker gets BURST tasks for the fast endpoint at once (repeated BURST_ROUNDS times)
//
// Env: N (default 20000), HANG (1000), BURST (200), BURST_ROUNDS (5), NATS_URL, WORKER_ENV (`K=V,K2=V2`, passed to
// the worker, e.g. `ENDPOINT_MAX_IN_FLIGHT=64`), WORKER_MAIN (another build's main.js), MEASURE_VERBOSE=1 (worker stderr). Every run uses its own STREAM_PREFIX and deletes its streams.
// Tasks are published straight to DELIVERIES (no fan-out), so only the first-attempt path is measured.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createTopology, exampleEvent } from '@codeplanet/event-schemas';
import { deleteStreamsWithPrefix, provisionStreams, publishJson } from '@codeplanet/jetstream';
import { DEV_SECRETS_KEYRING, createSecretBox, generateSecret } from '@codeplanet/signer';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const N = Number(process.env.N ?? 20_000);
const HANG = Number(process.env.HANG ?? 1_000);
const BURST = Number(process.env.BURST ?? 200);
const BURST_ROUNDS = Number(process.env.BURST_ROUNDS ?? 5);
const WORKER_ENV = Object.fromEntries(
  (process.env.WORKER_ENV ?? '')
    .split(',')
    .filter((kv) => kv.includes('='))
    .map((kv) => [kv.slice(0, kv.indexOf('=')).trim(), kv.slice(kv.indexOf('=') + 1).trim()]),
);
const MAIN = process.env.WORKER_MAIN ?? fileURLToPath(new URL('../dist/main.js', import.meta.url));
const CLK_TCK = 100;
const box = createSecretBox(DEV_SECRETS_KEYRING);
let counter = 0;
const id = (kind) =>
  `${kind}_${Date.now().toString(36)}${randomBytes(6).toString('hex')}${(counter++).toString(36)}`;

/** node:http receiver: `/ok` answers 200 at once, `/hang` never answers; counts first arrivals per path. */
async function startReceiver() {
  const counts = new Map();
  const open = new Map();
  const maxOpen = new Map();
  const hanging = new Set();
  const marks = new Map();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    req.resume();
    req.on('end', () => {
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      marks.get(path)?.(n);
      const o = (open.get(path) ?? 0) + 1;
      open.set(path, o);
      maxOpen.set(path, Math.max(o, maxOpen.get(path) ?? 0));
      res.on('close', () => open.set(path, (open.get(path) ?? 1) - 1));
      if (path.startsWith('/hang')) hanging.add(res);
      else res.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    count: (path) => counts.get(path) ?? 0,
    maxOpen: (path) => maxOpen.get(path) ?? 0,
    /** Resolves with the times of the first arrival and of the `total`-th arrival on `path`. */
    track(path, total) {
      let first = 0;
      return new Promise((resolve) => {
        marks.set(path, (n) => {
          if (first === 0) first = performance.now();
          if (n >= total) resolve({ first, last: performance.now() });
        });
      });
    },
    async stop() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function createEndpoint(js, topology, url) {
  const now = new Date().toISOString();
  const endpoint = {
    id: id('ep'),
    account_id: id('acct'),
    url,
    events: ['*'],
    description: null,
    enabled: true,
    disabled_reason: null,
    secrets: [{ ciphertext: box.encrypt(generateSecret()), created_at: now, expires_at: null }],
    created_at: now,
    updated_at: now,
    version: 1,
  };
  const fact = { type: 'endpoint.created', endpoint, actor: 'measure', occurred_at: now };
  await publishJson(js, topology.endpoint(endpoint.account_id, endpoint.id), fact, {
    expectLastSubjectSequence: 0,
  });
  return endpoint;
}

/** Publishes `count` DeliveryTasks for the endpoint to DELIVERIES, 500 PubAcks outstanding at most. */
async function queueTasks(js, topology, endpoint, count) {
  const window = 500;
  for (let i = 0; i < count; i += window) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + window); j += 1) {
      const event = {
        ...exampleEvent('payment.completed', { account_id: endpoint.account_id }),
        id: id('evt'),
      };
      const task = {
        delivery_id: id('dlv'),
        endpoint_id: endpoint.id,
        account_id: endpoint.account_id,
        event,
        first_attempt: 1,
        enqueued_at: Date.now(),
      };
      batch.push(
        publishJson(js, topology.delivery(endpoint.id), task, { msgId: `${event.id}:${endpoint.id}` }),
      );
    }
    await Promise.all(batch);
  }
}

function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

async function spawnWorker(prefix, env) {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      NO_COLOR: '1',
      NODE_ENV: 'test',
      NATS_URL,
      STREAM_PREFIX: prefix,
      PORT: '0',
      LOG_LEVEL: 'info',
      RETRY_SCHEDULE: '1m,5m,30m,2h,24h',
      ...env,
      ...WORKER_ENV,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker did not start:\n${output}`));
    }, 60_000);
    const onData = (chunk) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    if (process.env.MEASURE_VERBOSE) child.stderr.pipe(process.stderr);
    void exited.then((code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
  return {
    child,
    url,
    async metric(pattern) {
      const text = await (await fetch(`${url}/metrics`)).text();
      const match = pattern.exec(text);
      return match ? Number(match[1]) : 0;
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function drained(jsm, topology) {
  for (;;) {
    const info = await jsm.streams.info(topology.stream('deliveries'));
    if (info.state.messages === 0) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function withBus(fn) {
  const prefix = `mt${randomBytes(5).toString('hex')}`;
  const topology = createTopology(prefix);
  const nc = await connect({ servers: NATS_URL, name: `measure-${prefix}` });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await provisionStreams(jsm, topology);
  const receiver = await startReceiver();
  try {
    return await fn({ prefix, topology, nc, js, jsm, receiver });
  } finally {
    await receiver.stop();
    await deleteStreamsWithPrefix(jsm, prefix).catch(() => undefined);
    await nc.close();
  }
}

const DEFERRED = /^webhook_deferred_total (\d+)/m;

async function backlog({ withHang }) {
  return withBus(async ({ prefix, topology, js, jsm, receiver }) => {
    const fast = await createEndpoint(js, topology, `${receiver.url}/ok`);
    if (withHang) {
      const hang = await createEndpoint(js, topology, `${receiver.url}/hang`);
      await queueTasks(js, topology, hang, HANG);
    }
    await queueTasks(js, topology, fast, N);
    const done = receiver.track('/ok', N);
    const worker = await spawnWorker(prefix, withHang ? { DELIVERY_TIMEOUT: '8s' } : {});
    const cpu0 = cpuSeconds(worker.child.pid);
    const t0 = performance.now();
    try {
      const { first, last } = await done;
      const cpu1 = cpuSeconds(worker.child.pid);
      const result = {
        scenario: withHang ? `mixed (${HANG} hanging tasks first)` : 'backlog',
        tasks: N,
        firstMs: Math.round(first - t0),
        drainMs: Math.round(last - first),
        perSecond: Math.round((N - 1) / ((last - first) / 1000)),
        workerCpuMsPerDelivery: Number((((cpu1 - cpu0) * 1000) / N).toFixed(3)),
        deferred: await worker.metric(DEFERRED),
        duplicates: receiver.count('/ok') - N,
      };
      if (withHang) result.hangMaxOpen = receiver.maxOpen('/hang');
      else result.streamEmptyAfterMs = Math.round((await drained(jsm, topology)) - first);
      return result;
    } finally {
      await worker.stop();
    }
  });
}

async function burst() {
  return withBus(async ({ prefix, topology, js, receiver }) => {
    const fast = await createEndpoint(js, topology, `${receiver.url}/ok`);
    const worker = await spawnWorker(prefix, {});
    try {
      const times = [];
      for (let round = 1; round <= BURST_ROUNDS; round += 1) {
        const done = receiver.track('/ok', round * BURST);
        const t0 = performance.now();
        await queueTasks(js, topology, fast, BURST);
        const { last } = await done;
        times.push(Math.round(last - t0));
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const sorted = [...times].sort((a, b) => a - b);
      return {
        scenario: `burst of ${BURST} to an idle worker`,
        rounds: times,
        medianMs: sorted[Math.floor(sorted.length / 2)],
        perSecondAtMedian: Math.round(BURST / (sorted[Math.floor(sorted.length / 2)] / 1000)),
        deferred: await worker.metric(DEFERRED),
      };
    } finally {
      await worker.stop();
    }
  });
}

const scenarios = {
  backlog: () => backlog({ withHang: false }),
  mixed: () => backlog({ withHang: true }),
  burst,
};
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(scenarios);
for (const name of chosen) {
  const run = scenarios[name];
  if (!run) throw new Error(`unknown scenario ${name} (one of ${Object.keys(scenarios).join(', ')})`);
  const result = await run();
  process.stdout.write(`${JSON.stringify({ ...result, workerEnv: WORKER_ENV })}\n`);
}
