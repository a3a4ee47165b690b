import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EndpointFact, EventEnvelope } from '@codeplanet/event-schemas';
import { publishJson } from '@codeplanet/jetstream';
import { waitFor } from '@codeplanet/service-kit/testing';
import { DEV_SECRETS_KEYRING, createSecretBox, generateSecret, verifyWebhook } from '@codeplanet/signer';
import {
  LADDER_MS,
  OutcomeLog,
  createBus,
  createEndpoint,
  expectSignedBy,
  newAccount,
  paymentEvent,
  publishEvent,
  type TestBus,
} from './support/bus.js';
import { Receiver, type Script } from './support/receiver.js';
import { startWorker, type InProcessWorker } from './support/workers.js';

let bus: TestBus;
let receiver: Receiver;
let outcomes: OutcomeLog;
let worker: InProcessWorker;
const account = newAccount();

beforeAll(async () => {
  bus = await createBus();
  receiver = await Receiver.start();
  outcomes = await OutcomeLog.start(bus);
  // A compressed ladder is far shorter than the breaker's cool-down: keep the breaker out of the ladder checks.
  // Retry-After is whole seconds, longer than any compressed step: let it count up to 5 s here.
  worker = await startWorker(bus, { DELIVERY_TIMEOUT: '1s', BREAKER_THRESHOLD: '50', RETRY_AFTER_MAX: '5s' });
});

afterAll(async () => {
  await worker?.close();
  await outcomes?.stop();
  await receiver?.stop();
  await bus?.cleanup();
});

/** An endpoint of its own (one per test) answering per `script`, and one event sent to it. */
async function deliverTo(path: string, script: Script) {
  const endpoint = await createEndpoint(bus, { accountId: account, url: receiver.on(path, script) });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const event = paymentEvent(account);
  await publishEvent(bus, event);
  return { endpoint, event };
}

function attemptsOf(path: string): number[] {
  return receiver.for(path).map((r) => Number(r.headers['x-codeplanet-attempt']));
}

function gaps(path: string): number[] {
  const times = receiver.for(path).map((r) => r.at);
  return times.slice(1).map((t, i) => t - times[i]!);
}

const finalFor = (endpointId: string) => (log: OutcomeLog) =>
  log.facts.find(
    (f) => (f.type === 'delivery.succeeded' || f.type === 'delivery.failed') && f.endpoint_id === endpointId,
  );

describe('the retry ladder', () => {
  it('succeeds after two failures: attempts 1, 2, 3, each signed afresh', async () => {
    const { endpoint } = await deliverTo('/flaky', (_r, n) =>
      n <= 2 ? { status: 500, body: 'nope' } : { status: 200 },
    );
    const final = await outcomes.waitFor(finalFor(endpoint.id), 'final state');
    expect(final).toMatchObject({ type: 'delivery.succeeded', attempts: 3 });
    expect(attemptsOf('/flaky')).toEqual([1, 2, 3]);
    const requests = receiver.for('/flaky');
    expect(new Set(requests.map((r) => r.headers['x-codeplanet-delivery-id'])).size).toBe(1);
    for (const request of requests) expectSignedBy(request, endpoint.secret);
    const [gap1, gap2] = gaps('/flaky');
    expect(gap1).toBeGreaterThanOrEqual(LADDER_MS[0]! - 5);
    expect(gap2).toBeGreaterThanOrEqual(LADDER_MS[1]! - 5);
    const facts = outcomes.forEndpoint(endpoint.id).filter((f) => f.type.startsWith('attempt.'));
    expect(facts.map((f) => [f.type, 'attempt' in f ? f.attempt : 0])).toEqual([
      ['attempt.failed', 1],
      ['attempt.failed', 2],
      ['attempt.succeeded', 3],
    ]);
    const first = outcomes
      .ofType('attempt.failed')
      .find((f) => f.endpoint_id === endpoint.id && f.attempt === 1)!;
    expect(first).toMatchObject({ status_code: 500, error: 'http_status', response_body: 'nope' });
    expect(Date.parse(first.next_attempt_at!) - Date.parse(first.started_at)).toBeGreaterThanOrEqual(
      LADDER_MS[0]!,
    );
  });

  it('gives up after exactly six attempts on the ladder, then delivery.failed', async () => {
    const { endpoint } = await deliverTo('/dead', () => ({ status: 503 }));
    const final = await outcomes.waitFor(finalFor(endpoint.id), 'final state');
    expect(final).toMatchObject({ type: 'delivery.failed', attempts: 6 });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(attemptsOf('/dead')).toEqual([1, 2, 3, 4, 5, 6]);
    gaps('/dead').forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(LADDER_MS[i]! - 5));
    const last = outcomes
      .ofType('attempt.failed')
      .find((f) => f.endpoint_id === endpoint.id && f.attempt === 6)!;
    expect(last.next_attempt_at).toBeNull();
    expect(outcomes.ofType('delivery.failed').filter((f) => f.endpoint_id === endpoint.id)).toHaveLength(1);
  });

  it('times out a hanging receiver at DELIVERY_TIMEOUT, and a long retry is not redelivered mid-flight', async () => {
    const { endpoint } = await deliverTo('/hang', (_r, n) => (n <= 2 ? 'hang' : { status: 200 }));
    const final = await outcomes.waitFor(finalFor(endpoint.id), 'final state');
    expect(final).toMatchObject({ type: 'delivery.succeeded', attempts: 3 });
    expect(attemptsOf('/hang')).toEqual([1, 2, 3]);
    const timeouts = outcomes.ofType('attempt.failed').filter((f) => f.endpoint_id === endpoint.id);
    expect(timeouts.map((f) => f.error)).toEqual(['timeout', 'timeout']);
    for (const f of timeouts) {
      expect(f.status_code).toBeNull();
      expect(f.duration_ms).toBeGreaterThanOrEqual(990);
      expect(f.duration_ms).toBeLessThan(2_500);
    }
  });

  it('does not follow a 3xx and counts it as a failure', async () => {
    const target = receiver.on('/redirect-target', () => ({ status: 200 }));
    const { endpoint } = await deliverTo('/moved', (_r, n) =>
      n === 1 ? { status: 301, headers: { location: target } } : { status: 200 },
    );
    await outcomes.waitFor(finalFor(endpoint.id), 'final state');
    const first = outcomes.ofType('attempt.failed').find((f) => f.endpoint_id === endpoint.id)!;
    expect(first).toMatchObject({ attempt: 1, status_code: 301, error: 'redirect' });
    expect(receiver.for('/redirect-target')).toEqual([]);
  });

  it('disables the endpoint on 410 Gone with an endpoint.disabled fact', async () => {
    const { endpoint } = await deliverTo('/gone', () => ({ status: 410 }));
    const final = await outcomes.waitFor(finalFor(endpoint.id), 'final state');
    expect(final).toMatchObject({ type: 'delivery.failed', attempts: 1 });
    const stored = await bus.jsm.streams.getMessage(bus.topology.stream('endpoints'), {
      last_by_subj: bus.topology.endpoint(account, endpoint.id),
    });
    const fact = stored!.json<EndpointFact>();
    expect(fact).toMatchObject({ type: 'endpoint.disabled', actor: 'delivery-worker' });
    expect(fact.endpoint).toMatchObject({
      id: endpoint.id,
      enabled: false,
      disabled_reason: 'gone_410',
      version: 2,
    });
    expect(fact.endpoint.secrets).toEqual(endpoint.state.secrets);
    await publishEvent(bus, paymentEvent(account));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.for('/gone')).toHaveLength(1);
  });

  it('honours Retry-After on 429 and 503, never earlier than the ladder', async () => {
    const { endpoint } = await deliverTo('/throttled', (_r, n) => {
      if (n === 1) return { status: 429, headers: { 'retry-after': '1' } };
      if (n === 2) return { status: 503, headers: { 'retry-after': '1' } };
      return { status: 200 };
    });
    await outcomes.waitFor(finalFor(endpoint.id), 'final state');
    expect(attemptsOf('/throttled')).toEqual([1, 2, 3]);
    const [afterFirst, afterRetry] = gaps('/throttled');
    // attempt 1 → 2: the parking delivery is held until Retry-After; attempt 2 → 3: nak(retry-policy delay)
    // on a backoff consumer, measured here against the real server.
    expect(afterFirst).toBeGreaterThanOrEqual(1_000);
    expect(afterFirst).toBeLessThan(2_500);
    expect(afterRetry).toBeGreaterThanOrEqual(1_000);
    expect(afterRetry).toBeLessThan(2_500);
    const failed = outcomes.ofType('attempt.failed').filter((f) => f.endpoint_id === endpoint.id);
    for (const f of failed) {
      expect(Date.parse(f.next_attempt_at!) - Date.parse(f.started_at)).toBeGreaterThanOrEqual(1_000);
    }
  });

  it('signs with every unexpired secret during a rotation', async () => {
    const box = createSecretBox(DEV_SECRETS_KEYRING);
    const [current, rotated, expired] = [generateSecret(), generateSecret(), generateSecret()];
    const endpoint = await createEndpoint(bus, {
      accountId: account,
      url: receiver.on('/rotated', () => ({ status: 200 })),
    });
    const now = Date.now();
    const state = {
      ...endpoint.state,
      version: 2,
      secrets: [
        { ciphertext: box.encrypt(current), created_at: new Date(now).toISOString(), expires_at: null },
        {
          ciphertext: box.encrypt(rotated),
          created_at: new Date(now - 1000).toISOString(),
          expires_at: new Date(now + 86_400_000).toISOString(),
        },
        {
          ciphertext: box.encrypt(expired),
          created_at: new Date(now - 2000).toISOString(),
          expires_at: new Date(now - 1000).toISOString(),
        },
      ],
    };
    const fact: EndpointFact = {
      type: 'endpoint.secret_rotated',
      endpoint: state,
      actor: 'test',
      occurred_at: new Date().toISOString(),
    };
    await publishJson(bus.js, bus.topology.endpoint(account, endpoint.id), fact, {
      expectLastSubjectSequence: endpoint.seq,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const event: EventEnvelope = paymentEvent(account);
    await publishEvent(bus, event);
    const request = await waitFor(() => receiver.for('/rotated')[0], {
      what: 'rotated delivery',
      timeoutMs: 30_000,
    });
    expect(request.headers['x-codeplanet-signature']!.split(' ')).toHaveLength(2);
    expectSignedBy(request, current);
    expectSignedBy(request, rotated);
    expect(() => verifyWebhook({ secret: expired, headers: request.headers, body: request.body })).toThrow();
  });
});
