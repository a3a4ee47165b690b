/** Fakes and wiring for the delivery-handler specs (excluded from the build). */
import { createTopology, splitOutcome, type DeliveryTask } from '@codeplanet/event-schemas';
import { RetryPolicy } from '@codeplanet/retry-policy';
import { AttemptExecutor } from '../attempt/attempt-executor.js';
import type { SendResult, WebhookSender } from '../attempt/http-client.js';
import type { WebhookRequest } from '../attempt/request-builder.js';
import { CircuitBreaker } from '../isolation/circuit-breaker.js';
import { DeferralPlanner } from '../isolation/deferral-planner.js';
import { InflightLimiter } from '../isolation/inflight-limiter.js';
import type { FactPublisher, PublishRequest } from '../outcomes/fact-publisher.js';
import { DeliveryHandlers } from '../retry/delivery-handlers.js';
import { RetryPlanner } from '../retry/retry-planner.js';
import type { TaskMessage } from '../retry/task-message.js';
import { EndpointDisabler } from '../routing/endpoint-disabler.js';
import { RoutingTable } from '../routing/routing-table.js';
import { endpointFact, fakeDecrypt } from './fixtures.js';

export const NOW = Date.parse('2026-02-01T12:00:00Z');
export const topology = createTopology('tx');
const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

export class FakeMsg implements TaskMessage {
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

export class FakePublisher implements FactPublisher {
  readonly published: PublishRequest[] = [];
  seq = 100;
  async publish(request: PublishRequest): Promise<{ seq: number; duplicate: boolean }> {
    this.published.push(request);
    return Promise.resolve({ seq: ++this.seq, duplicate: false });
  }
  /** What was published, as facts (an ending attempt is two, see `splitOutcome`) or `task:<subject>`. */
  types(): string[] {
    return this.published.flatMap((p) =>
      splitOutcome(p.payload).map((fact) => (fact as { type?: string }).type ?? `task:${p.subject}`),
    );
  }
}

export class FakeSender implements WebhookSender {
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

/** One endpoint `ep_1` (subject seq 7), a cap of 2, a breaker opening after 3 failures, ladder 1s..5s. */
export class HandlerHarness {
  readonly routing = new RoutingTable(fakeDecrypt);
  readonly publisher = new FakePublisher();
  readonly sender = new FakeSender();
  readonly limiter = new InflightLimiter(2);
  readonly breaker = new CircuitBreaker({ threshold: 3, cooldownMs: 10_000 });
  readonly handlers: DeliveryHandlers;

  constructor(options: { slotWaitMs?: number; firstAttemptOutcomes?: FactPublisher } = {}) {
    this.routing.apply(endpointFact({ id: 'ep_1' }), 7);
    const clock = (): number => NOW;
    const { routing, publisher, sender, limiter, breaker } = this;
    this.handlers = new DeliveryHandlers({
      topology,
      routing,
      executor: new AttemptExecutor({ sender, limiter, breaker, clock, slotWaitMs: options.slotWaitMs }),
      planner: new RetryPlanner(new RetryPolicy([1000, 2000, 3000, 4000, 5000])),
      publisher,
      firstAttemptOutcomes: options.firstAttemptOutcomes,
      disabler: new EndpointDisabler(routing, publisher, topology, silent, () => false, clock),
      log: silent,
      clock,
      deferrals: new DeferralPlanner({ minDelayMs: 100, maxDelayMs: 1000 }, () => 0.5),
      firstAttemptAckWaitMs: 60_000,
      unknownEndpointGraceMs: 5_000,
    });
  }

  facts(type: string): Record<string, unknown>[] {
    return this.publisher.published
      .flatMap((p) => splitOutcome(p.payload) as Record<string, unknown>[])
      .filter((p) => p.type === type);
  }
}
