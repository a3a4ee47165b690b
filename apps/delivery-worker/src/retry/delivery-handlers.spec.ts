import { beforeEach, describe, expect, it } from '@jest/globals';
import { createTopology, type DeliveryTask, type EndpointFact } from '@codeplanet/event-schemas';
import { RetryPolicy } from '@codeplanet/retry-policy';
import { AttemptExecutor } from '../attempt/attempt-executor.js';
import type { SendResult, WebhookSender } from '../attempt/http-client.js';
import type { WebhookRequest } from '../attempt/request-builder.js';
import { CircuitBreaker } from '../isolation/circuit-breaker.js';
import { InflightLimiter } from '../isolation/inflight-limiter.js';
import type { FactPublisher, PublishRequest } from '../outcomes/fact-publisher.js';
import { EndpointDisabler } from '../routing/endpoint-disabler.js';
import { RoutingTable } from '../routing/routing-table.js';
import { deliveryTask, endpointFact, fakeDecrypt } from '../testing/fixtures.js';
import { DeliveryHandlers } from './delivery-handlers.js';
import { NOT_BEFORE_HEADER, RetryPlanner } from './retry-planner.js';
import type { TaskMessage } from './task-message.js';

const NOW = Date.parse('2026-02-01T12:00:00Z');
const topology = createTopology('tx');
const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

class FakeMsg implements TaskMessage {
  readonly answers: string[] = [];
  workings = 0;
  readonly subject: string;
  readonly data: Uint8Array;
  readonly info: { deliveryCount: number };
  readonly headers: { get(name: string): string };
  constructor(task: DeliveryTask | string, deliveryCount = 1, headers: Record<string, string> = {}) {
    this.data = new TextEncoder().encode(typeof task === 'string' ? task : JSON.stringify(task));
    this.subject = `tx.deliveries.${typeof task === 'string' ? 'ep_x' : task.endpoint_id}`;
    this.info = { deliveryCount };
    this.headers = { get: (name) => headers[name] ?? '' };
  }
  ack(): void {
    this.answers.push('ack');
  }
  nak(millis?: number): void {
    this.answers.push(`nak:${millis}`);
  }
  term(): void {
    this.answers.push('term');
  }
  working(): void {
    this.workings += 1;
  }
}

class FakePublisher implements FactPublisher {
  readonly published: PublishRequest[] = [];
  seq = 100;
  async publish(request: PublishRequest): Promise<{ seq: number; duplicate: boolean }> {
    this.published.push(request);
    return Promise.resolve({ seq: ++this.seq, duplicate: false });
  }
  types(): string[] {
    return this.published.map((p) => (p.payload as { type?: string }).type ?? `task:${p.subject}`);
  }
}

class FakeSender implements WebhookSender {
  readonly requests: WebhookRequest[] = [];
  next: Partial<SendResult> = { ok: true, statusCode: 200, error: null };
  async send(_url: string, request: WebhookRequest): Promise<SendResult> {
    this.requests.push(request);
    return Promise.resolve({
      ok: false,
      startedAt: NOW,
      durationMs: 12,
      statusCode: null,
      error: null,
      responseBody: 'ok',
      retryAfterMs: null,
      ...this.next,
    });
  }
  async close(): Promise<void> {}
}

let routing: RoutingTable;
let publisher: FakePublisher;
let sender: FakeSender;
let limiter: InflightLimiter;
let breaker: CircuitBreaker;
let handlers: DeliveryHandlers;

beforeEach(() => {
  routing = new RoutingTable(fakeDecrypt);
  routing.apply(endpointFact({ id: 'ep_1' }), 7);
  publisher = new FakePublisher();
  sender = new FakeSender();
  limiter = new InflightLimiter(2);
  breaker = new CircuitBreaker({ threshold: 3, cooldownMs: 10_000 });
  const clock = (): number => NOW;
  handlers = new DeliveryHandlers({
    topology,
    routing,
    executor: new AttemptExecutor({ sender, limiter, breaker, clock }),
    planner: new RetryPlanner(new RetryPolicy([1000, 2000, 3000, 4000, 5000])),
    publisher,
    disabler: new EndpointDisabler(routing, publisher, topology, silent, () => false, clock),
    log: silent,
    clock,
    deferDelayMs: 100,
    maxDeferDelayMs: 1000,
    firstAttemptAckWaitMs: 60_000,
    unknownEndpointGraceMs: 5_000,
  });
});

function facts(type: string): Record<string, unknown>[] {
  return publisher.published.map((p) => p.payload as Record<string, unknown>).filter((p) => p.type === type);
}

describe('first attempts (DELIVERIES)', () => {
  it('acks a success after attempt.succeeded and delivery.succeeded', async () => {
    const msg = new FakeMsg(deliveryTask());
    await handlers.handleFirstAttempt(msg);
    expect(msg.answers).toEqual(['ack']);
    expect(publisher.types()).toEqual(['attempt.succeeded', 'delivery.succeeded']);
    expect(publisher.published.map((p) => p.msgId)).toEqual([
      'dlv_1:1:attempt.succeeded',
      'dlv_1:1:delivery.succeeded',
    ]);
    expect(facts('attempt.succeeded')[0]).toMatchObject({
      attempt: 1,
      status_code: 200,
      next_attempt_at: null,
    });
    expect(sender.requests[0]!.headers['x-codeplanet-attempt']).toBe('1');
  });

  it('moves a failure to RETRIES, then acks', async () => {
    sender.next = { ok: false, statusCode: 500, error: 'http_status' };
    const msg = new FakeMsg(deliveryTask());
    await handlers.handleFirstAttempt(msg);
    expect(msg.answers).toEqual(['ack']);
    const retry = publisher.published.find((p) => p.subject === 'tx.retries.ep_1')!;
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
    sender.next = { ok: false, statusCode: 429, error: 'http_status', retryAfterMs: 3000 };
    await handlers.handleFirstAttempt(new FakeMsg(deliveryTask()));
    const retry = publisher.published.find((p) => p.subject === 'tx.retries.ep_1')!;
    expect(retry.headers).toEqual({ [NOT_BEFORE_HEADER]: String(NOW + 3000) });
    expect(facts('attempt.failed')[0]!.next_attempt_at).toBe(new Date(NOW + 3000).toISOString());
  });

  it('defers a task whose endpoint is at its cap, without an attempt', async () => {
    limiter.tryAcquire('ep_1');
    limiter.tryAcquire('ep_1');
    const msg = new FakeMsg(deliveryTask(), 3);
    await handlers.handleFirstAttempt(msg);
    expect(msg.answers).toHaveLength(1);
    const delay = Number(msg.answers[0]!.split(':')[1]);
    expect(delay).toBeGreaterThanOrEqual(320);
    expect(delay).toBeLessThanOrEqual(480);
    expect(publisher.published).toEqual([]);
    expect(sender.requests).toEqual([]);
  });

  it('fails fast with circuit_open while the breaker is open', async () => {
    for (let i = 0; i < 3; i += 1) breaker.record('ep_1', false, NOW);
    const msg = new FakeMsg(deliveryTask());
    await handlers.handleFirstAttempt(msg);
    expect(sender.requests).toEqual([]);
    expect(facts('attempt.failed')[0]).toMatchObject({ error: 'circuit_open', status_code: null });
    expect(publisher.published.some((p) => p.subject === 'tx.retries.ep_1')).toBe(true);
    expect(msg.answers).toEqual(['ack']);
  });

  it('disables the endpoint on 410 and ends the delivery', async () => {
    sender.next = { ok: false, statusCode: 410, error: 'http_status' };
    const msg = new FakeMsg(deliveryTask());
    await handlers.handleFirstAttempt(msg);
    const disable = publisher.published.find((p) => p.subject === 'tx.endpoints.acct_1.ep_1')!;
    expect(disable.expectLastSubjectSequence).toBe(7);
    const fact = disable.payload as EndpointFact;
    expect(fact).toMatchObject({ type: 'endpoint.disabled', actor: 'delivery-worker' });
    expect(fact.endpoint).toMatchObject({ enabled: false, disabled_reason: 'gone_410', version: 2 });
    expect(routing.get('ep_1')?.enabled).toBe(false);
    expect(facts('delivery.failed')).toHaveLength(1);
    expect(publisher.published.some((p) => p.subject.startsWith('tx.retries'))).toBe(false);
    expect(msg.answers).toEqual(['ack']);
  });

  it('ends a delivery to a disabled endpoint without a call', async () => {
    routing.apply(endpointFact({ id: 'ep_1', enabled: false, disabled_reason: 'manual' }), 8);
    await handlers.handleFirstAttempt(new FakeMsg(deliveryTask()));
    expect(sender.requests).toEqual([]);
    expect(facts('attempt.failed')[0]).toMatchObject({ error: 'endpoint_disabled', next_attempt_at: null });
    expect(facts('delivery.failed')[0]).toMatchObject({ attempts: 1 });
  });

  it('waits for an endpoint the map does not know yet, then gives up', async () => {
    const young = new FakeMsg(deliveryTask({ endpoint_id: 'ep_new', enqueued_at: NOW - 1000 }));
    await handlers.handleFirstAttempt(young);
    expect(young.answers[0]).toMatch(/^nak:\d+$/);
    const old = new FakeMsg(deliveryTask({ endpoint_id: 'ep_new', enqueued_at: NOW - 60_000 }));
    await handlers.handleFirstAttempt(old);
    expect(facts('attempt.failed')[0]).toMatchObject({ error: 'endpoint_deleted' });
    expect(old.answers).toEqual(['ack']);
  });

  it('never delivers to an endpoint of another account', async () => {
    await handlers.handleFirstAttempt(new FakeMsg(deliveryTask({ account_id: 'acct_other' })));
    expect(sender.requests).toEqual([]);
    expect(facts('delivery.failed')).toHaveLength(1);
  });

  it('terminates a malformed task', async () => {
    const msg = new FakeMsg('{"nope":1}');
    await handlers.handleFirstAttempt(msg);
    expect(msg.answers).toEqual(['term']);
  });
});

describe('retries (RETRIES)', () => {
  const retryTask = (): DeliveryTask => deliveryTask({ first_attempt: 2 });

  it('parks delivery 1 without answering', async () => {
    const msg = new FakeMsg(retryTask(), 1);
    await handlers.handleRetry(msg);
    expect(msg.answers).toEqual([]);
    expect(sender.requests).toEqual([]);
  });

  it('holds a parked task until its not-before', async () => {
    const msg = new FakeMsg(retryTask(), 1, { [NOT_BEFORE_HEADER]: String(NOW + 4000) });
    await handlers.handleRetry(msg);
    expect(msg.answers).toEqual(['nak:4000']);
  });

  it('makes delivery d attempt d and leaves a failure to the backoff', async () => {
    sender.next = { ok: false, statusCode: 503, error: 'http_status' };
    const msg = new FakeMsg(retryTask(), 3);
    await handlers.handleRetry(msg);
    expect(sender.requests[0]!.headers['x-codeplanet-attempt']).toBe('3');
    expect(msg.answers).toEqual([]);
    expect(msg.workings).toBeGreaterThanOrEqual(1);
    expect(facts('attempt.failed')[0]).toMatchObject({
      attempt: 3,
      next_attempt_at: new Date(NOW + 3000).toISOString(),
    });
    expect(publisher.published.map((p) => p.msgId)).toEqual(['dlv_1:3:attempt.failed']);
  });

  it('naks with the retry-policy delay when Retry-After is later than the ladder', async () => {
    sender.next = { ok: false, statusCode: 429, error: 'http_status', retryAfterMs: 4500 };
    const msg = new FakeMsg(retryTask(), 2);
    await handlers.handleRetry(msg);
    // redelivery after delay + backoff[1] - backoff[0] = 3500 + 2000 - 1000 = 4500
    expect(msg.answers).toEqual(['nak:3500']);
    expect(facts('attempt.failed')[0]!.next_attempt_at).toBe(new Date(NOW + 4500).toISOString());
  });

  it('ends the delivery after the sixth attempt', async () => {
    sender.next = { ok: false, statusCode: 500, error: 'http_status' };
    const msg = new FakeMsg(retryTask(), 6);
    await handlers.handleRetry(msg);
    expect(publisher.types()).toEqual(['attempt.failed', 'delivery.failed']);
    expect(facts('attempt.failed')[0]).toMatchObject({ attempt: 6, next_attempt_at: null });
    expect(facts('delivery.failed')[0]).toMatchObject({ attempts: 6 });
    expect(msg.answers).toEqual(['ack']);
  });

  it('acks a successful retry', async () => {
    const msg = new FakeMsg(retryTask(), 4);
    await handlers.handleRetry(msg);
    expect(publisher.types()).toEqual(['attempt.succeeded', 'delivery.succeeded']);
    expect(facts('delivery.succeeded')[0]).toMatchObject({ attempts: 4 });
    expect(msg.answers).toEqual(['ack']);
  });

  it('fails a retry fast when the endpoint is at its cap', async () => {
    limiter.tryAcquire('ep_1');
    limiter.tryAcquire('ep_1');
    const msg = new FakeMsg(retryTask(), 2);
    await handlers.handleRetry(msg);
    expect(sender.requests).toEqual([]);
    expect(facts('attempt.failed')[0]).toMatchObject({ attempt: 2, error: 'endpoint_busy' });
    expect(msg.answers).toEqual([]);
  });

  it('keys msgIDs by the scheduler job of a re-run delivery', async () => {
    const task = deliveryTask({ first_attempt: 2, cause: { kind: 'manual_retry', job_id: 'job_9' } });
    await handlers.handleRetry(new FakeMsg(task, 2));
    expect(publisher.published[0]!.msgId).toBe('dlv_1:job_9:2:attempt.succeeded');
  });
});
