import { beforeEach, describe, expect, it } from '@jest/globals';
import type { DeliveryTask, EndpointFact } from '@codeplanet/event-schemas';
import { deliveryTask, endpointFact } from '../testing/fixtures.js';
import { FakeMsg, FakePublisher, HandlerHarness, NOW } from '../testing/handler-harness.js';
import { NOT_BEFORE_HEADER } from './retry-planner.js';

let h: HandlerHarness;
beforeEach(() => {
  h = new HandlerHarness();
});
const facts = (type: string): Record<string, unknown>[] => h.facts(type);

describe('first attempts (DELIVERIES)', () => {
  it('sends its OUTCOMES facts through the first-attempt publisher, the retry task through the plain one', async () => {
    const outcomes = new FakePublisher();
    const own = new HandlerHarness({ firstAttemptOutcomes: outcomes });
    own.sender.next = { ok: false, statusCode: 500, error: 'http_status' };
    await own.handlers.handleFirstAttempt(new FakeMsg(deliveryTask()));
    own.sender.next = { ok: true, statusCode: 200, error: null };
    await own.handlers.handleFirstAttempt(new FakeMsg(deliveryTask({ delivery_id: 'dlv_2' })));
    expect(outcomes.types()).toEqual(['attempt.failed', 'attempt.succeeded', 'delivery.succeeded']);
    expect(own.publisher.types()).toEqual(['task:tx.retries.ep_1']);
  });

  it('acks a success after one message holding attempt.succeeded and delivery.succeeded', async () => {
    const msg = new FakeMsg(deliveryTask());
    await h.handlers.handleFirstAttempt(msg);
    expect(msg.answers).toEqual(['ack']);
    expect(h.publisher.types()).toEqual(['attempt.succeeded', 'delivery.succeeded']);
    expect(h.publisher.published.map((p) => p.msgId)).toEqual(['dlv_1:1:delivery.succeeded']);
    expect(h.publisher.published[0]!.payload).toMatchObject({
      type: 'attempt.succeeded',
      ends_delivery: { type: 'delivery.succeeded', attempts: 1 },
    });
    expect(facts('attempt.succeeded')[0]).toMatchObject({
      attempt: 1,
      status_code: 200,
      next_attempt_at: null,
    });
    expect(h.sender.requests[0]!.headers['x-codeplanet-attempt']).toBe('1');
  });

  it('moves a failure to RETRIES, then acks', async () => {
    h.sender.next = { ok: false, statusCode: 500, error: 'http_status' };
    const msg = new FakeMsg(deliveryTask());
    await h.handlers.handleFirstAttempt(msg);
    expect(msg.answers).toEqual(['ack']);
    const retry = h.publisher.published.find((p) => p.subject === 'tx.retries.ep_1')!;
    expect(retry.msgId).toBe('dlv_1:retry');
    expect((retry.payload as DeliveryTask).first_attempt).toBe(2);
    expect(retry.headers).toBeUndefined();
    expect(facts('attempt.failed')[0]).toMatchObject({
      attempt: 1,
      error: 'http_status',
      next_attempt_at: new Date(NOW + 1000).toISOString(),
    });
    expect(JSON.stringify(facts('attempt.failed')[0])).not.toContain('whsec_');
  });

  it('carries a Retry-After later than the ladder as a not-before header', async () => {
    h.sender.next = { ok: false, statusCode: 429, error: 'http_status', retryAfterMs: 3000 };
    await h.handlers.handleFirstAttempt(new FakeMsg(deliveryTask()));
    const retry = h.publisher.published.find((p) => p.subject === 'tx.retries.ep_1')!;
    expect(retry.headers).toEqual({ [NOT_BEFORE_HEADER]: String(NOW + 3000) });
    expect(facts('attempt.failed')[0]!.next_attempt_at).toBe(new Date(NOW + 3000).toISOString());
  });

  it('lets a task wait briefly for a slot of an endpoint whose slots are turning over', async () => {
    h = new HandlerHarness({ slotWaitMs: 500 });
    const waiting = h.handlers;
    h.limiter.tryAcquire('ep_1');
    h.limiter.tryAcquire('ep_1');
    const msg = new FakeMsg(deliveryTask());
    const handled = waiting.handleFirstAttempt(msg);
    setTimeout(() => h.limiter.release('ep_1'), 20);
    await handled;
    expect(msg.answers).toEqual(['ack']);
    expect(h.sender.requests).toHaveLength(1);
  });

  it('fails a queued task fast when the circuit opened while it waited', async () => {
    h = new HandlerHarness({ slotWaitMs: 500 });
    h.limiter.tryAcquire('ep_1');
    h.limiter.tryAcquire('ep_1');
    const msg = new FakeMsg(deliveryTask());
    const handled = h.handlers.handleFirstAttempt(msg);
    setTimeout(() => {
      for (let i = 0; i < 3; i += 1) h.breaker.record('ep_1', false, NOW);
      h.limiter.release('ep_1');
    }, 20);
    await handled;
    expect(h.sender.requests).toEqual([]);
    expect(facts('attempt.failed')[0]).toMatchObject({ error: 'circuit_open' });
    expect(h.limiter.inflightFor('ep_1')).toBe(1);
    expect(msg.answers).toEqual(['ack']);
  });

  it('defers a task whose endpoint is at its cap, without an attempt', async () => {
    h.limiter.tryAcquire('ep_1');
    h.limiter.tryAcquire('ep_1');
    const msg = new FakeMsg(deliveryTask(), 3);
    await h.handlers.handleFirstAttempt(msg);
    expect(msg.answers).toHaveLength(1);
    // 100 ms doubled per earlier delivery (third delivery: 400 ms).
    expect(msg.answers).toEqual(['nak:400']);
    expect(h.publisher.published).toEqual([]);
    expect(h.sender.requests).toEqual([]);
  });

  it('fails fast with circuit_open while the breaker is open', async () => {
    for (let i = 0; i < 3; i += 1) h.breaker.record('ep_1', false, NOW);
    const msg = new FakeMsg(deliveryTask());
    await h.handlers.handleFirstAttempt(msg);
    expect(h.sender.requests).toEqual([]);
    expect(facts('attempt.failed')[0]).toMatchObject({ error: 'circuit_open', status_code: null });
    expect(h.publisher.published.some((p) => p.subject === 'tx.retries.ep_1')).toBe(true);
    expect(msg.answers).toEqual(['ack']);
  });

  it('lets a manual retry probe an open circuit instead of failing it unseen', async () => {
    for (let i = 0; i < 3; i += 1) h.breaker.record('ep_1', false, NOW);
    const task = { ...deliveryTask(), cause: { kind: 'manual_retry' as const, job_id: 'job_1' } };
    const msg = new FakeMsg(task);
    await h.handlers.handleFirstAttempt(msg);
    expect(h.sender.requests).toHaveLength(1);
    expect(h.publisher.types()).toEqual(['attempt.succeeded', 'delivery.succeeded']);
    expect(h.breaker.stateOf('ep_1')).toBe('closed');
  });

  it('disables the endpoint on 410 and ends the delivery', async () => {
    h.sender.next = { ok: false, statusCode: 410, error: 'http_status' };
    const msg = new FakeMsg(deliveryTask());
    await h.handlers.handleFirstAttempt(msg);
    const disable = h.publisher.published.find((p) => p.subject === 'tx.endpoints.acct_1.ep_1')!;
    expect(disable.expectLastSubjectSequence).toBe(7);
    const fact = disable.payload as EndpointFact;
    expect(fact).toMatchObject({ type: 'endpoint.disabled', actor: 'delivery-worker' });
    expect(fact.endpoint).toMatchObject({ enabled: false, disabled_reason: 'gone_410', version: 2 });
    expect(h.routing.get('ep_1')?.enabled).toBe(false);
    expect(facts('delivery.failed')).toHaveLength(1);
    expect(h.publisher.published.some((p) => p.subject.startsWith('tx.retries'))).toBe(false);
    expect(msg.answers).toEqual(['ack']);
  });

  it('ends a delivery to a disabled endpoint without a call', async () => {
    h.routing.apply(endpointFact({ id: 'ep_1', enabled: false, disabled_reason: 'manual' }), 8);
    await h.handlers.handleFirstAttempt(new FakeMsg(deliveryTask()));
    expect(h.sender.requests).toEqual([]);
    expect(facts('attempt.failed')[0]).toMatchObject({ error: 'endpoint_disabled', next_attempt_at: null });
    expect(facts('delivery.failed')[0]).toMatchObject({ attempts: 1 });
  });

  it('waits for an endpoint the map does not know yet, then gives up', async () => {
    const young = new FakeMsg(deliveryTask({ endpoint_id: 'ep_new', enqueued_at: NOW - 1000 }));
    await h.handlers.handleFirstAttempt(young);
    expect(young.answers[0]).toMatch(/^nak:\d+$/);
    const old = new FakeMsg(deliveryTask({ endpoint_id: 'ep_new', enqueued_at: NOW - 60_000 }));
    await h.handlers.handleFirstAttempt(old);
    expect(facts('attempt.failed')[0]).toMatchObject({ error: 'endpoint_deleted' });
    expect(old.answers).toEqual(['ack']);
  });

  it('never delivers to an endpoint of another account', async () => {
    await h.handlers.handleFirstAttempt(new FakeMsg(deliveryTask({ account_id: 'acct_other' })));
    expect(h.sender.requests).toEqual([]);
    expect(facts('delivery.failed')).toHaveLength(1);
  });

  it('terminates a malformed task', async () => {
    const msg = new FakeMsg('{"nope":1}');
    await h.handlers.handleFirstAttempt(msg);
    expect(msg.answers).toEqual(['term']);
  });
});
