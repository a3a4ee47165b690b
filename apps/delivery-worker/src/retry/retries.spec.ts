import { beforeEach, describe, expect, it } from '@jest/globals';
import type { DeliveryTask } from '@codeplanet/event-schemas';
import { deliveryTask } from '../testing/fixtures.js';
import { FakeMsg, HandlerHarness, NOW } from '../testing/handler-harness.js';
import { NOT_BEFORE_HEADER } from './retry-planner.js';

let h: HandlerHarness;
beforeEach(() => {
  h = new HandlerHarness();
});
const facts = (type: string): Record<string, unknown>[] => h.facts(type);

describe('retries (RETRIES)', () => {
  const retryTask = (): DeliveryTask => deliveryTask({ first_attempt: 2 });

  it('parks delivery 1 without answering', async () => {
    const msg = new FakeMsg(retryTask(), 1);
    await h.handlers.handleRetry(msg);
    expect(msg.answers).toEqual([]);
    expect(h.sender.requests).toEqual([]);
  });

  it('holds a parked task until its not-before', async () => {
    const msg = new FakeMsg(retryTask(), 1, { [NOT_BEFORE_HEADER]: String(NOW + 4000) });
    await h.handlers.handleRetry(msg);
    expect(msg.answers).toEqual(['nak:4000']);
  });

  it('makes delivery d attempt d and leaves a failure to the backoff', async () => {
    h.sender.next = { ok: false, statusCode: 503, error: 'http_status' };
    const msg = new FakeMsg(retryTask(), 3);
    await h.handlers.handleRetry(msg);
    expect(h.sender.requests[0]!.headers['x-codeplanet-attempt']).toBe('3');
    expect(msg.answers).toEqual([]);
    expect(msg.workings).toBeGreaterThanOrEqual(1);
    expect(facts('attempt.failed')[0]).toMatchObject({
      attempt: 3,
      next_attempt_at: new Date(NOW + 3000).toISOString(),
    });
    expect(h.publisher.published.map((p) => p.msgId)).toEqual(['dlv_1:3:attempt.failed']);
  });

  it('naks with the retry-policy delay when Retry-After is later than the ladder', async () => {
    h.sender.next = { ok: false, statusCode: 429, error: 'http_status', retryAfterMs: 4500 };
    const msg = new FakeMsg(retryTask(), 2);
    await h.handlers.handleRetry(msg);
    // redelivery after delay + backoff[1] - backoff[0] = 3500 + 2000 - 1000 = 4500
    expect(msg.answers).toEqual(['nak:3500']);
    expect(facts('attempt.failed')[0]!.next_attempt_at).toBe(new Date(NOW + 4500).toISOString());
  });

  it('ends the delivery after the sixth attempt', async () => {
    h.sender.next = { ok: false, statusCode: 500, error: 'http_status' };
    const msg = new FakeMsg(retryTask(), 6);
    await h.handlers.handleRetry(msg);
    expect(h.publisher.types()).toEqual(['attempt.failed', 'delivery.failed']);
    expect(facts('attempt.failed')[0]).toMatchObject({ attempt: 6, next_attempt_at: null });
    expect(facts('delivery.failed')[0]).toMatchObject({ attempts: 6 });
    expect(msg.answers).toEqual(['ack']);
  });

  it('acks a successful retry', async () => {
    const msg = new FakeMsg(retryTask(), 4);
    await h.handlers.handleRetry(msg);
    expect(h.publisher.types()).toEqual(['attempt.succeeded', 'delivery.succeeded']);
    expect(facts('delivery.succeeded')[0]).toMatchObject({ attempts: 4 });
    expect(msg.answers).toEqual(['ack']);
  });

  it('fails a retry fast when the endpoint is at its cap', async () => {
    h.limiter.tryAcquire('ep_1');
    h.limiter.tryAcquire('ep_1');
    const msg = new FakeMsg(retryTask(), 2);
    await h.handlers.handleRetry(msg);
    expect(h.sender.requests).toEqual([]);
    expect(facts('attempt.failed')[0]).toMatchObject({ attempt: 2, error: 'endpoint_busy' });
    expect(msg.answers).toEqual([]);
  });

  it('keys msgIDs by the scheduler job of a re-run delivery', async () => {
    const task = deliveryTask({ first_attempt: 2, cause: { kind: 'manual_retry', job_id: 'job_9' } });
    await h.handlers.handleRetry(new FakeMsg(task, 2));
    expect(h.publisher.published[0]!.msgId).toBe('dlv_1:job_9:2:delivery.succeeded');
  });
});
