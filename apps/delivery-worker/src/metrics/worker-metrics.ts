import { metrics } from '@codeplanet/service-kit';
import type { BreakerState } from '../isolation/circuit-breaker.js';

/** Prometheus series of the worker (served by service-kit's GET /metrics). */
export class WorkerMetrics {
  private readonly attempts = metrics.counter('webhook_attempts_total', 'Delivery attempts by result', [
    'result',
    'error',
  ]);
  private readonly latency = metrics.histogram(
    'webhook_attempt_duration_seconds',
    'Duration of HTTP delivery attempts',
    ['result'],
  );
  private readonly inflight = metrics.gauge('webhook_inflight_requests', 'HTTP delivery attempts in flight');
  private readonly breakers = metrics.gauge(
    'webhook_circuit_breakers',
    'Endpoints per circuit-breaker state',
    ['state'],
  );
  private readonly deferred = metrics.counter(
    'webhook_deferred_total',
    'First attempts deferred because their endpoint was at its in-flight cap',
  );
  private readonly fanout = metrics.counter('webhook_fanout_events_total', 'Events fanned out, by result', [
    'result',
  ]);
  private readonly tasks = metrics.counter(
    'webhook_fanout_tasks_total',
    'Delivery tasks created by the fan-out',
  );
  private readonly finals = metrics.counter(
    'webhook_deliveries_total',
    'Deliveries that reached a final state',
    ['result'],
  );
  private readonly routes = metrics.gauge(
    'webhook_routing_endpoints',
    'Endpoints in the in-memory routing map',
  );

  attempt(ok: boolean, error: string | null, durationMs: number, httpCall: boolean): void {
    const result = ok ? 'succeeded' : 'failed';
    this.attempts.inc({ result, error: error ?? 'none' });
    if (httpCall) this.latency.observe({ result }, durationMs / 1000);
  }

  setInflight(count: number): void {
    this.inflight.set(count);
  }

  setBreakers(counts: Record<BreakerState, number>): void {
    this.breakers.set({ state: 'open' }, counts.open);
    this.breakers.set({ state: 'half_open' }, counts.half_open);
  }

  deferredFirstAttempt(): void {
    this.deferred.inc();
  }

  fannedOut(result: 'accepted' | 'rejected', tasks: number): void {
    this.fanout.inc({ result });
    if (tasks > 0) this.tasks.inc(tasks);
  }

  delivery(succeeded: boolean): void {
    this.finals.inc({ result: succeeded ? 'succeeded' : 'failed' });
  }

  setRoutes(count: number): void {
    this.routes.set(count);
  }
}
