import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@codeplanet/event-schemas';
import { waitFor } from '@codeplanet/service-kit/testing';
import {
  OutcomeLog,
  createBus,
  createEndpoint,
  newAccount,
  paymentEvent,
  publishEvent,
  type TestBus,
} from './support/bus.js';
import { Receiver } from './support/receiver.js';
import { spawnWorker, type ChildWorker } from './support/workers.js';

let bus: TestBus;
let receiver: Receiver;
let outcomes: OutcomeLog;
let worker: ChildWorker;
const hangAccount = newAccount();
const okAccount = newAccount();
const published = new Map<string, number>();

beforeAll(async () => {
  bus = await createBus();
  receiver = await Receiver.start();
  outcomes = await OutcomeLog.start(bus);
  await createEndpoint(bus, { accountId: hangAccount, url: receiver.on('/hang', () => 'hang') });
  await createEndpoint(bus, { accountId: okAccount, url: receiver.on('/healthy', () => ({ status: 200 })) });
  // Its own process, as in production: the test's publishing and receiving do not share its event loop.
  worker = await spawnWorker(bus, { DELIVERY_TIMEOUT: '5s', ENDPOINT_MAX_IN_FLIGHT: '16', BREAKER_THRESHOLD: '5' });
});

afterAll(async () => {
  worker?.child.kill('SIGTERM');
  await worker?.exited;
  await outcomes?.stop();
  await receiver?.stop();
  await bus?.cleanup();
});

async function sendHealthy(count: number, everyMs: number): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for (let i = 0; i < count; i += 1) {
    const event = paymentEvent(okAccount);
    published.set(event.id, Date.now());
    await publishEvent(bus, event);
    events.push(event);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return events;
}

function latencies(events: EventEnvelope[]): number[] {
  const received = new Map(
    receiver.for('/healthy').map((r) => [(JSON.parse(r.body) as EventEnvelope).id, r.at] as const),
  );
  return events.map((e) => received.get(e.id)! - published.get(e.id)!).sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

describe('isolation between endpoints', () => {
  it('keeps a healthy endpoint at its normal latency while a hanging one has 1,000 queued tasks', async () => {
    const baselineEvents = await sendHealthy(30, 20);
    await waitFor(() => receiver.for('/healthy').length >= 30, { what: 'baseline deliveries' });
    const baseline = latencies(baselineEvents);

    const flood = Array.from({ length: 1000 }, () => paymentEvent(hangAccount));
    await Promise.all(flood.map((event) => publishEvent(bus, event)));
    // The 1,000 tasks are queued (fanned out to DELIVERIES) and the endpoint holds all its slots.
    await outcomes.waitFor(
      (log) => log.ofType('event.accepted').filter((f) => f.event.account_id === hangAccount).length === 1000,
      'flood fanned out',
    );
    await waitFor(() => receiver.for('/hang').length >= 16, { what: 'hanging endpoint saturated' });
    const underLoadEvents = await sendHealthy(60, 50);
    await waitFor(() => receiver.for('/healthy').length >= 90, { what: 'deliveries under load', timeoutMs: 10_000 });
    const underLoad = latencies(underLoadEvents);

    const report = {
      baseline: { p50: percentile(baseline, 0.5), p95: percentile(baseline, 0.95), max: baseline.at(-1) },
      underLoad: { p50: percentile(underLoad, 0.5), p95: percentile(underLoad, 0.95), max: underLoad.at(-1) },
      hangingMaxOpen: receiver.maxOpen.get('/hang'),
    };
    process.stdout.write(`isolation latency (ms): ${JSON.stringify(report)}\n`);
    expect(report.hangingMaxOpen).toBeLessThanOrEqual(16);
    expect(report.underLoad.p95).toBeLessThan(report.baseline.p95 + 250);
    expect(report.underLoad.max).toBeLessThan(1_000);
  });

  it('opens the circuit of the hanging endpoint: its tasks fail fast without HTTP calls', async () => {
    const circuitOpen = await outcomes.waitFor(
      (log) => log.ofType('attempt.failed').filter((f) => f.error === 'circuit_open').length >= 100,
      'circuit_open attempts',
      15_000,
    );
    expect(circuitOpen).toBeTruthy();
    const timeouts = outcomes.ofType('attempt.failed').filter((f) => f.error === 'timeout');
    // Only the requests that were in flight before the circuit opened went out and timed out.
    expect(timeouts.length).toBeLessThanOrEqual(16 * 2);
    expect(receiver.for('/hang').length).toBeLessThanOrEqual(16 * 2);
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toMatch(/webhook_circuit_breakers\{state="open"\} 1/);
    expect(metrics).toMatch(/webhook_attempts_total\{result="failed",error="circuit_open"\} \d+/);
  });
});
