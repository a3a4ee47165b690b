import type { DeliveryTask, Topology } from '@codeplanet/event-schemas';
import type { AttemptExecutor } from '../attempt/attempt-executor.js';
import type { DeferralPlanner } from '../isolation/deferral-planner.js';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import { publishAll, type FactPublisher, type PublishRequest } from '../outcomes/fact-publisher.js';
import {
  attemptOutcome,
  endingOutcome,
  runKey,
  skippedAttempt,
  type AttemptReport,
} from '../outcomes/outcome-facts.js';
import type { EndpointDisabler } from '../routing/endpoint-disabler.js';
import type { EndpointRoute, RoutingTable } from '../routing/routing-table.js';
import { NOT_BEFORE_HEADER, parseNotBefore, type RetryPlanner } from './retry-planner.js';
import {
  decodeTask,
  endpointOfSubject,
  startHeartbeat,
  type Heartbeat,
  type TaskMessage,
} from './task-message.js';

export interface HandlerLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface DeliveryHandlerDeps {
  topology: Topology;
  routing: RoutingTable;
  executor: AttemptExecutor;
  planner: RetryPlanner;
  publisher: FactPublisher;
  /**
   * Publishes the OUTCOMES facts of first attempts (the worker batches them per endpoint, see `OutcomeBatcher`).
   * Default: `publisher`.
   */
  firstAttemptOutcomes?: FactPublisher | undefined;
  disabler: EndpointDisabler;
  log: HandlerLog;
  metrics?: WorkerMetrics | undefined;
  clock?: () => number;
  /** Paces deferrals of tasks whose endpoint is at its cap (or not known yet). */
  deferrals: DeferralPlanner;
  /** ack_wait of the DELIVERIES consumer, to pace heartbeats. */
  firstAttemptAckWaitMs: number;
  /** A task for an endpoint this worker does not know yet (its map lags another worker's) waits this long. */
  unknownEndpointGraceMs: number;
}

interface Attempting {
  msg: TaskMessage;
  task: DeliveryTask;
  attempt: number;
  beat: Heartbeat;
  /** Where this attempt's OUTCOMES facts go. */
  outcomes: FactPublisher;
}

/**
 * The two delivery consumers. DELIVERIES (first attempts): success acks; failure moves the task to RETRIES and
 * acks; an endpoint at its in-flight cap defers the task with nak(delay), which is not an attempt. RETRIES: the
 * parking delivery does nothing; a failed retry is left un-acked (the consumer backoff is the ladder) or naked
 * with a Retry-After delay; the last attempt ends the delivery. Never a plain nak().
 */
export class DeliveryHandlers {
  private readonly clock: () => number;

  constructor(private readonly deps: DeliveryHandlerDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  readonly handleFirstAttempt = async (msg: TaskMessage): Promise<void> => {
    if (this.deps.executor.wouldBeBusy(endpointOfSubject(msg.subject))) {
      this.defer(msg);
      return;
    }
    const task = this.decode(msg);
    if (!task) return;
    const route = this.routeFor(task);
    if (route === 'wait') {
      msg.nak(this.deps.deferrals.delayFor(msg.info.deliveryCount));
      return;
    }
    const beat = startHeartbeat(msg, this.deps.firstAttemptAckWaitMs / 3);
    const outcomes = this.deps.firstAttemptOutcomes ?? this.deps.publisher;
    const ctx: Attempting = { msg, task, attempt: task.first_attempt, beat, outcomes };
    try {
      if (typeof route === 'string')
        return await this.finish(ctx, skippedAttempt(route, this.clock()), false);
      const run = await this.deps.executor.run(task, route, ctx.attempt);
      if (run.kind === 'busy') {
        beat.stop();
        this.defer(msg);
        return;
      }
      if (run.report.ok) return await this.finish(ctx, run.report, true);
      if (run.report.statusCode === 410) return await this.gone(ctx, route, run.report);
      const plan = this.deps.planner.afterFirstFailure(ctx.attempt, run.retryAfterMs, this.clock());
      if (plan.final) return await this.finish(ctx, run.report, false);
      const retry: PublishRequest = {
        subject: this.deps.topology.retry(task.endpoint_id),
        payload: { ...task, first_attempt: ctx.attempt + 1 } satisfies DeliveryTask,
        // Attempt 1's hand-over is `<run>:retry`, so a crash-and-redo of attempt 1 is stored once; a re-queued
        // task starting further up the ladder gets its own.
        msgId: ctx.attempt === 1 ? `${runKey(task)}:retry` : `${runKey(task)}:retry:${ctx.attempt}`,
        headers: plan.notBefore === null ? undefined : { [NOT_BEFORE_HEADER]: String(plan.notBefore) },
      };
      const outcome = attemptOutcome(this.deps.topology, task, ctx.attempt, run.report, plan.nextAttemptAt);
      await Promise.all([outcomes.publish(outcome), this.deps.publisher.publish(retry)]);
      beat.stop();
      msg.ack();
    } finally {
      beat.stop();
    }
  };

  readonly handleRetry = async (msg: TaskMessage): Promise<void> => {
    const task = this.decode(msg);
    if (!task) return;
    const deliveryCount = msg.info.deliveryCount;
    const attempt = this.deps.planner.retryAttempt(task, deliveryCount);
    if (attempt === null) {
      // Parking: the task just arrived. Its ack wait (ladder[0]) is the wait; a later Retry-After stretches it.
      const notBefore = parseNotBefore(msg.headers?.get(NOT_BEFORE_HEADER));
      const delay = this.deps.planner.parkingDelay(notBefore, this.clock());
      if (delay !== null) msg.nak(delay);
      return;
    }
    const beat = startHeartbeat(msg, this.deps.planner.backoffAfter(deliveryCount) / 3);
    const ctx: Attempting = { msg, task, attempt, beat, outcomes: this.deps.publisher };
    try {
      const route = this.routeFor(task);
      if (typeof route === 'string') {
        const reason = route === 'wait' ? 'endpoint_deleted' : route;
        return await this.finish(ctx, skippedAttempt(reason, this.clock()), false);
      }
      const run = await this.deps.executor.run(task, route, attempt);
      // A retry cannot be deferred without using up a ladder step, so at the cap it fails fast instead.
      const report = run.kind === 'busy' ? skippedAttempt('endpoint_busy', this.clock()) : run.report;
      const retryAfterMs = run.kind === 'busy' ? null : run.retryAfterMs;
      if (report.ok) return await this.finish(ctx, report, true);
      if (report.statusCode === 410) return await this.gone(ctx, route, report);
      if (this.deps.planner.isLast(attempt, deliveryCount)) return await this.finish(ctx, report, false);
      const plan = this.deps.planner.afterRetryFailure(attempt, deliveryCount, retryAfterMs, this.clock());
      await publishAll(this.deps.publisher, [
        attemptOutcome(this.deps.topology, task, attempt, report, plan.nextAttemptAt),
      ]);
      beat.stop();
      // Un-acked, the message comes back after the backoff step, counted from now (the end of the attempt).
      if (plan.nakDelayMs !== null) msg.nak(plan.nakDelayMs);
      else msg.working();
    } finally {
      beat.stop();
    }
  };

  /** Ends the delivery: the attempt fact carrying `delivery.succeeded|failed` (one message), then ack. */
  private async finish(ctx: Attempting, report: AttemptReport, succeeded: boolean): Promise<void> {
    await ctx.outcomes.publish(
      endingOutcome(this.deps.topology, ctx.task, ctx.attempt, report, succeeded, this.clock()),
    );
    this.deps.metrics?.delivery(succeeded);
    ctx.beat.stop();
    ctx.msg.ack();
  }

  /** 410 Gone: the receiver says the endpoint is no more. Disable it, and end this delivery as failed. */
  private async gone(ctx: Attempting, route: EndpointRoute, report: AttemptReport): Promise<void> {
    await this.deps.disabler.disableGone(route.id);
    await this.finish(ctx, report, false);
  }

  /** The endpoint to deliver to, the reason there is none, or `wait` for an endpoint the map may not have yet. */
  private routeFor(task: DeliveryTask): EndpointRoute | 'wait' | 'endpoint_deleted' | 'endpoint_disabled' {
    const route = this.deps.routing.get(task.endpoint_id);
    if (!route) {
      const young = this.clock() - task.enqueued_at < this.deps.unknownEndpointGraceMs;
      return young ? 'wait' : 'endpoint_deleted';
    }
    // Never deliver one account's event to another account's endpoint, whatever a task says.
    if (route.accountId !== task.account_id) return 'endpoint_deleted';
    return route.enabled ? route : 'endpoint_disabled';
  }

  /** Not an attempt, and not a plain nak(): the task comes back after a (growing) delay. */
  private defer(msg: TaskMessage): void {
    this.deps.metrics?.deferredFirstAttempt();
    msg.nak(this.deps.deferrals.delayFor(msg.info.deliveryCount));
  }

  private decode(msg: TaskMessage): DeliveryTask | null {
    const task = decodeTask(msg.data);
    if (!task) {
      this.deps.log.error('dropping a malformed delivery task (not JSON or missing ids)');
      msg.term('malformed delivery task');
    }
    return task;
  }
}
