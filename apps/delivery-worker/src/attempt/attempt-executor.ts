import type { DeliveryTask } from '@codeplanet/event-schemas';
import type { CircuitBreaker } from '../isolation/circuit-breaker.js';
import type { InflightLimiter } from '../isolation/inflight-limiter.js';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import { skippedAttempt, type AttemptReport } from '../outcomes/outcome-facts.js';
import { signingSecrets, type EndpointRoute } from '../routing/routing-table.js';
import type { WebhookSender } from './http-client.js';
import { buildWebhookRequest, headersForLog, type WebhookRequest } from './request-builder.js';

export type AttemptRun =
  /** The endpoint is at its in-flight cap: nothing was sent, the caller defers or fails the attempt. */
  { kind: 'busy' } | { kind: 'done'; report: AttemptReport; retryAfterMs: number | null; httpCall: boolean };

export interface AttemptExecutorDeps {
  sender: WebhookSender;
  limiter: InflightLimiter;
  breaker: CircuitBreaker;
  /** Longest wait for a slot of an endpoint at its cap whose slots are turning over (0: never wait). */
  slotWaitMs?: number | undefined;
  metrics?: WorkerMetrics | undefined;
  clock?: () => number;
}

/**
 * One attempt under the endpoint's isolation rules: the circuit breaker may fail it without a call, the in-flight
 * cap may refuse it, otherwise it is signed now (every non-expired secret) and sent.
 */
export class AttemptExecutor {
  private readonly clock: () => number;

  constructor(private readonly deps: AttemptExecutorDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  /**
   * True when an attempt for the endpoint would certainly come back `busy`: checked before a task is even parsed,
   * so deferring the backlog of a slow endpoint costs next to nothing.
   */
  wouldBeBusy(endpointId: string): boolean {
    const { limiter } = this.deps;
    return (
      limiter.isFull(endpointId) &&
      this.deps.breaker.stateOf(endpointId) === 'closed' &&
      !(this.mayWaitForSlot(endpointId) && limiter.canQueue(endpointId, this.deps.slotWaitMs ?? 0))
    );
  }

  /**
   * Waiting briefly for a slot pays when the endpoint's slots are turning over (one was freed, or it became
   * busy, within half the wait): its burst keeps flowing instead of being deferred. Endpoints whose requests
   * hang, and open circuits, are never waited for.
   */
  mayWaitForSlot(endpointId: string): boolean {
    const waitMs = this.deps.slotWaitMs ?? 0;
    return (
      waitMs > 0 &&
      this.deps.breaker.stateOf(endpointId) === 'closed' &&
      this.deps.limiter.turnoverAgeMs(endpointId) <= Math.min(waitMs / 2, this.deps.limiter.stallMs)
    );
  }

  async run(task: DeliveryTask, route: EndpointRoute, attempt: number): Promise<AttemptRun> {
    const { breaker, limiter } = this.deps;
    const requested = task.cause !== undefined && attempt === task.first_attempt;
    let admission = requested
      ? breaker.admitRequested(route.id, this.clock())
      : breaker.admit(route.id, this.clock());
    if (admission === 'reject') return this.skipped('circuit_open', this.clock());
    let waited = false;
    let acquired = limiter.tryAcquire(route.id);
    // A probe never queues: it would hold the endpoint's only probe while it waits.
    if (!acquired && admission !== 'probe' && this.mayWaitForSlot(route.id)) {
      waited = true;
      acquired = await limiter.acquire(route.id, this.deps.slotWaitMs ?? 0);
    }
    if (!acquired) {
      if (admission === 'probe') breaker.abandon(route.id);
      return { kind: 'busy' };
    }
    if (waited) {
      // The circuit may have opened while this attempt queued (the requests ahead of it failed): ask again, so a
      // queue behind a dead endpoint fails fast instead of sending into it.
      const again = requested
        ? breaker.admitRequested(route.id, this.clock())
        : breaker.admit(route.id, this.clock());
      if (again === 'reject') {
        limiter.release(route.id);
        return this.skipped('circuit_open', this.clock());
      }
      admission = again;
    }
    this.deps.metrics?.setInflight(limiter.totalInflight);
    const now = this.clock();
    try {
      const secrets = signingSecrets(route, now);
      if (secrets.length === 0) {
        if (admission === 'probe') breaker.abandon(route.id);
        return this.skipped('no_signing_secret', now);
      }
      let request: WebhookRequest;
      try {
        request = buildWebhookRequest(task, attempt, secrets, now);
      } catch {
        // A malformed stored secret: never send unsigned, record why instead.
        if (admission === 'probe') breaker.abandon(route.id);
        return this.skipped('invalid_signing_secret', now);
      }
      const result = await this.deps.sender.send(route.url, request);
      breaker.record(route.id, result.ok, this.clock());
      this.deps.metrics?.attempt(result.ok, result.error, result.durationMs, true);
      this.deps.metrics?.setBreakers(breaker.counts());
      const report: AttemptReport = {
        ok: result.ok,
        startedAt: result.startedAt,
        durationMs: result.durationMs,
        statusCode: result.statusCode,
        error: result.error,
        responseBody: result.responseBody,
        requestHeaders: headersForLog(request.headers),
      };
      return { kind: 'done', report, retryAfterMs: result.retryAfterMs, httpCall: true };
    } finally {
      limiter.release(route.id);
      this.deps.metrics?.setInflight(limiter.totalInflight);
    }
  }

  private skipped(error: string, now: number): AttemptRun {
    this.deps.metrics?.attempt(false, error, 0, false);
    return { kind: 'done', report: skippedAttempt(error, now), retryAfterMs: null, httpCall: false };
  }
}
