import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@codeplanet/event-schemas';
import {
  OutcomeLog,
  createBus,
  createEndpoint,
  newAccount,
  paymentEvent,
  publishEvent,
  until,
  type TestBus,
} from './support/bus.js';
import { Receiver } from './support/receiver.js';
import { spawnWorker, type ChildWorker } from './support/workers.js';

let bus: TestBus;
let receiver: Receiver;
const workers: ChildWorker[] = [];

beforeAll(async () => {
  bus = await createBus();
  receiver = await Receiver.start();
  // Each worker sends from its own loopback address (EGRESS_IPS), so the receiver can tell who delivered. On a
  // loaded machine a slow answer may time out; the breaker must not then fail tasks through the compressed ladder.
  workers.push(
    ...(await Promise.all([
      spawnWorker(bus, { EGRESS_IPS: '127.0.0.2', DELIVERY_TIMEOUT: '3s', BREAKER_THRESHOLD: '1000' }),
      spawnWorker(bus, { EGRESS_IPS: '127.0.0.3', DELIVERY_TIMEOUT: '3s', BREAKER_THRESHOLD: '1000' }),
    ])),
  );
});

afterAll(async () => {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
  await receiver?.stop();
  await bus?.cleanup();
});

function deliveredCounts(path: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of receiver.for(path)) {
    const id = (JSON.parse(request.body) as EventEnvelope).id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

async function publishMany(accountId: string, count: number): Promise<EventEnvelope[]> {
  const events = Array.from({ length: count }, () => paymentEvent(accountId));
  for (let i = 0; i < events.length; i += 100) {
    await Promise.all(events.slice(i, i + 100).map((event) => publishEvent(bus, event)));
  }
  return events;
}

describe('several worker processes', () => {
  it('share the consumers without delivering anything twice', async () => {
    const account = newAccount();
    await createEndpoint(bus, {
      accountId: account,
      url: receiver.on('/shared', () => ({ status: 200, delayMs: 10 })),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const events = await publishMany(account, 300);
    await until(
      () => deliveredCounts('/shared').size === 300,
      '300 deliveries',
      () => `${deliveredCounts('/shared').size}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const counts = deliveredCounts('/shared');
    expect(events.every((e) => counts.get(e.id) === 1)).toBe(true);
    expect(receiver.for('/shared')).toHaveLength(300);
    const senders = new Set(receiver.for('/shared').map((r) => r.remoteAddress));
    expect([...senders].sort()).toEqual(['127.0.0.2', '127.0.0.3']);
  });

  it('loses nothing when a worker is killed with SIGKILL under load', async () => {
    const account = newAccount();
    await createEndpoint(bus, {
      accountId: account,
      url: receiver.on('/load', () => ({ status: 200, delayMs: 50 })),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const events = await publishMany(account, 500);
    await until(
      () => receiver.for('/load').length >= 100,
      'load under way',
      () => `${receiver.for('/load').length}`,
    );
    const victim = workers[0]!;
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBeNull();
    const deliveredAtKill = deliveredCounts('/load').size;
    await until(
      () => deliveredCounts('/load').size === 500,
      'every task delivered',
      () => `${deliveredCounts('/load').size}; survivor said: ${workers[1]!.output().slice(-2000)}`,
    );
    const counts = deliveredCounts('/load');
    const missing = events.filter((e) => !counts.has(e.id));
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    process.stdout.write(
      `SIGKILL: ${deliveredAtKill}/500 delivered at the kill, 0 missing, ${duplicates} delivered twice\n`,
    );
    expect(missing).toEqual([]);
  });

  it('finishes in-flight work on SIGTERM and exits 0, leaving the rest to the others', async () => {
    workers.push(
      await spawnWorker(bus, { EGRESS_IPS: '127.0.0.4', DELIVERY_TIMEOUT: '3s', BREAKER_THRESHOLD: '1000' }),
    );
    const account = newAccount();
    const endpoint = await createEndpoint(bus, {
      accountId: account,
      url: receiver.on('/drain', () => ({ status: 200, delayMs: 100 })),
    });
    const outcomes = await OutcomeLog.start(bus, endpoint.id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const events = await publishMany(account, 300);
    await until(
      () => receiver.for('/drain').length >= 50,
      'drain load under way',
      () => `${receiver.for('/drain').length}`,
    );
    const leaving = workers[1]!;
    const sigtermAt = Date.now();
    leaving.child.kill('SIGTERM');
    expect(await leaving.exited).toBe(0);
    expect(leaving.output()).toContain('consumers stopped, in-flight attempts finished');
    await until(
      () => deliveredCounts('/drain').size === 300,
      'every task delivered',
      () => `${deliveredCounts('/drain').size}; survivor said: ${workers[2]!.output().slice(-2000)}`,
    );
    const counts = deliveredCounts('/drain');
    expect(events.every((e) => counts.has(e.id))).toBe(true);
    // A graceful stop answers every attempt it started, so nothing is sent twice by it. (On a loaded machine a
    // response can outlast DELIVERY_TIMEOUT: that attempt failed and was retried, a legitimate second request.)
    await outcomes.waitFor((log) => log.ofType('delivery.succeeded').length >= 300, 'final facts');
    const retried = new Set(outcomes.ofType('attempt.failed').map((f) => f.event_id));
    await outcomes.stop();
    const twice = [...counts].filter(([id, n]) => n > 1 && !retried.has(id)).map(([id]) => id);
    const detail = twice.map((id) =>
      receiver
        .for('/drain')
        .filter((r) => r.body.includes(id))
        .map((r) => `${r.remoteAddress}@${r.at - sigtermAt}ms`)
        .join(' '),
    );
    expect(detail).toEqual([]);
  });
});
