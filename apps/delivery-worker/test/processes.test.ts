import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@codeplanet/event-schemas';
import { waitFor } from '@codeplanet/service-kit/testing';
import { createBus, createEndpoint, newAccount, paymentEvent, publishEvent, type TestBus } from './support/bus.js';
import { Receiver } from './support/receiver.js';
import { spawnWorker, type ChildWorker } from './support/workers.js';

let bus: TestBus;
let receiver: Receiver;
const workers: ChildWorker[] = [];

beforeAll(async () => {
  bus = await createBus();
  receiver = await Receiver.start();
  // Each worker sends from its own loopback address (EGRESS_IPS), so the receiver can tell who delivered.
  workers.push(...(await Promise.all([
    spawnWorker(bus, { EGRESS_IPS: '127.0.0.2' }),
    spawnWorker(bus, { EGRESS_IPS: '127.0.0.3' }),
  ])));
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
    await createEndpoint(bus, { accountId: account, url: receiver.on('/shared', () => ({ status: 200, delayMs: 10 })) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const events = await publishMany(account, 300);
    await waitFor(() => deliveredCounts('/shared').size === 300, { what: '300 deliveries', timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const counts = deliveredCounts('/shared');
    expect(events.every((e) => counts.get(e.id) === 1)).toBe(true);
    expect(receiver.for('/shared')).toHaveLength(300);
    const senders = new Set(receiver.for('/shared').map((r) => r.remoteAddress));
    expect([...senders].sort()).toEqual(['127.0.0.2', '127.0.0.3']);
  });

  it('loses nothing when a worker is killed with SIGKILL under load', async () => {
    const account = newAccount();
    await createEndpoint(bus, { accountId: account, url: receiver.on('/load', () => ({ status: 200, delayMs: 50 })) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const events = await publishMany(account, 500);
    await waitFor(() => receiver.for('/load').length >= 100, { what: 'load under way', timeoutMs: 20_000 });
    const victim = workers[0]!;
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBeNull();
    const deliveredAtKill = deliveredCounts('/load').size;
    await waitFor(() => deliveredCounts('/load').size === 500, { what: 'every task delivered', timeoutMs: 40_000 });
    const counts = deliveredCounts('/load');
    const missing = events.filter((e) => !counts.has(e.id));
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    process.stdout.write(`SIGKILL: ${deliveredAtKill}/500 delivered at the kill, 0 missing, ${duplicates} delivered twice\n`);
    expect(missing).toEqual([]);
  });

  it('finishes in-flight work on SIGTERM and exits 0, leaving the rest to the others', async () => {
    workers.push(await spawnWorker(bus, { EGRESS_IPS: '127.0.0.4' }));
    const account = newAccount();
    await createEndpoint(bus, { accountId: account, url: receiver.on('/drain', () => ({ status: 200, delayMs: 100 })) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const events = await publishMany(account, 300);
    await waitFor(() => receiver.for('/drain').length >= 50, { what: 'drain load under way', timeoutMs: 20_000 });
    const leaving = workers[1]!;
    leaving.child.kill('SIGTERM');
    expect(await leaving.exited).toBe(0);
    expect(leaving.output()).toContain('consumers stopped, in-flight attempts finished');
    await waitFor(() => deliveredCounts('/drain').size === 300, { what: 'every task delivered', timeoutMs: 40_000 });
    const counts = deliveredCounts('/drain');
    expect(events.every((e) => counts.has(e.id))).toBe(true);
    // A graceful stop answers every attempt it started, so nothing is sent twice.
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});
