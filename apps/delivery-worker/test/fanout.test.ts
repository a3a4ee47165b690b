import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  TARGET_ENDPOINT_HEADER,
  deliveryIdFor,
  exampleEvent,
  type EventEnvelope,
} from '@codeplanet/event-schemas';
import { publishJson } from '@codeplanet/jetstream';
import { waitFor } from '@codeplanet/service-kit/testing';
import { EVENT_OUTCOMES_TOKEN } from '../src/fanout/fanout-plan.js';
import {
  OutcomeLog,
  createBus,
  createEndpoint,
  expectSignedBy,
  newAccount,
  paymentEvent,
  publishEvent,
  type TestBus,
} from './support/bus.js';
import { Receiver } from './support/receiver.js';
import { startWorker, type InProcessWorker } from './support/workers.js';

let bus: TestBus;
let receiver: Receiver;
let outcomes: OutcomeLog;
let worker: InProcessWorker;
const account = newAccount();
let all: Awaited<ReturnType<typeof createEndpoint>>;
let payments: Awaited<ReturnType<typeof createEndpoint>>;
let subscriptions: Awaited<ReturnType<typeof createEndpoint>>;
let disabled: Awaited<ReturnType<typeof createEndpoint>>;
let foreign: Awaited<ReturnType<typeof createEndpoint>>;

beforeAll(async () => {
  bus = await createBus();
  receiver = await Receiver.start();
  outcomes = await OutcomeLog.start(bus);
  // Endpoints exist before the worker starts: its routing map must catch up with them before it consumes.
  all = await createEndpoint(bus, {
    accountId: account,
    url: receiver.on('/all', () => ({ status: 200 })),
    events: ['*'],
  });
  payments = await createEndpoint(bus, {
    accountId: account,
    url: receiver.on('/payments', () => ({ status: 204 })),
    events: ['payment.completed', 'payment.failed'],
  });
  subscriptions = await createEndpoint(bus, {
    accountId: account,
    url: receiver.on('/subscriptions', () => ({ status: 200 })),
    events: ['subscription.created'],
  });
  disabled = await createEndpoint(bus, {
    accountId: account,
    url: receiver.on('/disabled', () => ({ status: 200 })),
    enabled: false,
  });
  foreign = await createEndpoint(bus, {
    accountId: newAccount(),
    url: receiver.on('/foreign', () => ({ status: 200 })),
  });
  worker = await startWorker(bus);
});

afterAll(async () => {
  await worker?.close();
  await outcomes?.stop();
  await receiver?.stop();
  await bus?.cleanup();
});

function eventIdsAt(path: string): string[] {
  return receiver.for(path).map((r) => (JSON.parse(r.body) as EventEnvelope).id);
}

describe('fan-out', () => {
  it('is healthy once the routing map caught up', async () => {
    const response = await fetch(`${worker.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', checks: { nats: 'up', routing: 'up' } });
  });

  it('delivers each event to the matching endpoints of its account only, signed', async () => {
    const payment = paymentEvent(account);
    const subscription = exampleEvent('subscription.created', {
      account_id: account,
      test: false,
    }) as unknown as EventEnvelope;
    await publishEvent(bus, payment);
    await publishEvent(bus, subscription);
    await outcomes.waitFor((log) => log.ofType('delivery.succeeded').length >= 4, '4 deliveries');
    expect(eventIdsAt('/all').sort()).toEqual([payment.id, subscription.id].sort());
    expect(eventIdsAt('/payments')).toEqual([payment.id]);
    expect(eventIdsAt('/subscriptions')).toEqual([subscription.id]);
    expect(receiver.for('/disabled')).toEqual([]);
    expect(receiver.for('/foreign')).toEqual([]);

    const received = receiver.for('/payments')[0]!;
    expect(received.body).toBe(JSON.stringify(payment));
    expect(received.headers).toMatchObject({
      'content-type': 'application/json',
      'x-codeplanet-event-id': payment.id,
      'x-codeplanet-event-type': 'payment.completed',
      'x-codeplanet-delivery-id': deliveryIdFor(payment.id, payments.id),
      'x-codeplanet-attempt': '1',
      'webhook-id': payment.id,
    });
    expect(received.headers['user-agent']).toMatch(/^CodePlanet-Webhooks\/\d+\.\d+\.\d+$/);
    expectSignedBy(received, payments.secret);
    expectSignedBy(receiver.for('/all')[0]!, all.secret);

    const accepted = outcomes.ofType('event.accepted').find((f) => f.event.id === payment.id)!;
    expect(accepted.subject).toBe(bus.topology.outcome(EVENT_OUTCOMES_TOKEN));
    expect(accepted.deliveries.map((d) => d.endpoint_id).sort()).toEqual([all.id, payments.id].sort());
    const attempt = outcomes.ofType('attempt.succeeded').find((f) => f.endpoint_id === payments.id)!;
    expect(attempt).toMatchObject({ attempt: 1, status_code: 204, error: null, next_attempt_at: null });
    expect(attempt.subject).toBe(bus.topology.outcome(payments.id));
    expect(JSON.stringify(attempt.request_headers)).not.toContain(
      received.headers['x-codeplanet-signature']!.slice(3),
    );
    expect(subscriptions.id).toBeTruthy();
  });

  it('delivers a re-published event once per endpoint', async () => {
    const event = paymentEvent(account);
    await publishEvent(bus, event);
    await publishEvent(bus, event);
    // Same id under another msgID: the fan-out's own msgIDs still make one task per endpoint.
    await publishJson(bus.js, bus.topology.event(event.type), event, { msgId: `${event.id}-again` });
    await outcomes.waitFor(
      (log) => log.ofType('delivery.succeeded').filter((f) => f.event_id === event.id).length >= 2,
      'both deliveries',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(eventIdsAt('/all').filter((id) => id === event.id)).toHaveLength(1);
    expect(eventIdsAt('/payments').filter((id) => id === event.id)).toHaveLength(1);
  });

  it('keeps an invalid event as event.rejected and delivers nothing', async () => {
    const before = receiver.requests.length;
    const bad = { ...paymentEvent(account), data: { amount: 'lots' } };
    await publishJson(bus.js, bus.topology.event('payment.completed'), bad, { msgId: bad.id });
    await publishJson(bus.js, bus.topology.event('payment.completed'), 'not an event');
    const rejected = await outcomes.waitFor(
      (log) => (log.ofType('event.rejected').length >= 2 ? log.ofType('event.rejected') : null),
      'two rejections',
    );
    const mine = rejected.find((f) => f.event_id === bad.id)!;
    expect(mine.account_id).toBe(account);
    expect(JSON.parse(mine.raw)).toEqual(bad);
    expect(mine.errors.some((e) => e.field.startsWith('data'))).toBe(true);
    expect(receiver.requests.length).toBe(before);
  });

  it('sends a targeted test event to its endpoint only, whatever its filter', async () => {
    const test = exampleEvent('payment.completed', { account_id: account }) as unknown as EventEnvelope;
    await publishEvent(bus, test, { [TARGET_ENDPOINT_HEADER]: subscriptions.id });
    await waitFor(() => eventIdsAt('/subscriptions').includes(test.id), {
      what: 'test event',
      timeoutMs: 30_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(eventIdsAt('/all')).not.toContain(test.id);
    expect(eventIdsAt('/payments')).not.toContain(test.id);
    const foreignTarget = exampleEvent('payment.completed', {
      account_id: account,
    }) as unknown as EventEnvelope;
    await publishEvent(bus, foreignTarget, { [TARGET_ENDPOINT_HEADER]: foreign.id });
    const accepted = await outcomes.waitFor(
      (log) => log.ofType('event.accepted').find((f) => f.event.id === foreignTarget.id),
      'accepted',
    );
    expect(accepted.deliveries).toEqual([]);
  });

  it('follows endpoint changes live: a new endpoint receives, a disabled one stops', async () => {
    const late = await createEndpoint(bus, {
      accountId: account,
      url: receiver.on('/late', () => ({ status: 200 })),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const first = paymentEvent(account);
    await publishEvent(bus, first);
    await waitFor(() => receiver.for('/late').length === 1, {
      what: 'late endpoint delivery',
      timeoutMs: 30_000,
    });
    const off = { ...late.state, enabled: false, disabled_reason: 'manual', version: 2 };
    await publishJson(
      bus.js,
      bus.topology.endpoint(account, late.id),
      {
        type: 'endpoint.disabled',
        endpoint: off,
        actor: 'test',
        occurred_at: new Date().toISOString(),
      },
      { expectLastSubjectSequence: late.seq },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = paymentEvent(account);
    await publishEvent(bus, second);
    await outcomes.waitFor(
      (log) => log.ofType('delivery.succeeded').filter((f) => f.event_id === second.id).length >= 2,
      'second deliveries',
    );
    expect(receiver.for('/late')).toHaveLength(1);
    expect(disabled.id).toBeTruthy();
  });

  it('puts the facts of a burst to one endpoint into shared messages, one final fact per delivery', async () => {
    const burst = Array.from(
      { length: 40 },
      () =>
        exampleEvent('subscription.created', {
          account_id: account,
          test: false,
        }) as unknown as EventEnvelope,
    );
    await Promise.all(burst.map((event) => publishEvent(bus, event)));
    const ids = new Set(burst.map((e) => e.id));
    const finals = (log: OutcomeLog): string[] =>
      log
        .ofType('delivery.succeeded')
        .filter((f) => f.endpoint_id === subscriptions.id && ids.has(f.event_id))
        .map((f) => f.event_id);
    await outcomes.waitFor((log) => finals(log).length >= 40, '40 final facts');
    expect(new Set(finals(outcomes)).size).toBe(40);
    expect(finals(outcomes)).toHaveLength(40);
    // An ending attempt is two facts; a message holding more than two is a batch of several deliveries.
    const subject = bus.topology.outcome(subscriptions.id);
    const shared = outcomes.messages.filter((m) => m.subject === subject && m.facts > 2);
    expect(shared.length).toBeGreaterThan(0);
  });
});
