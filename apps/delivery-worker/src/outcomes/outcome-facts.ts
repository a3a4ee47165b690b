import type { AttemptFact, DeliveryTask, Topology } from '@codeplanet/event-schemas';
import type { PublishIntent } from '../fanout/fanout-plan.js';

/** What one attempt produced, whether or not an HTTP call was made. */
export interface AttemptReport {
  ok: boolean;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  requestHeaders: Record<string, string>;
}

/** An attempt that ended before any HTTP call (`circuit_open`, `endpoint_busy`, `endpoint_disabled`, ...). */
export function skippedAttempt(error: string, now: number): AttemptReport {
  return {
    ok: false,
    startedAt: now,
    durationMs: 0,
    statusCode: null,
    error,
    responseBody: null,
    requestHeaders: {},
  };
}

/**
 * Identifies this run of a delivery in msgIDs: a scheduler job (manual retry, recover) re-runs a delivery under
 * the same delivery id and must not be deduplicated against the earlier run.
 */
export function runKey(task: DeliveryTask): string {
  return task.cause ? `${task.delivery_id}:${task.cause.job_id}` : task.delivery_id;
}

/** The fact of one attempt, built once: the message payload as it is. */
function attemptFact(
  task: DeliveryTask,
  attempt: number,
  report: AttemptReport,
  nextAttemptAt: number | null,
): AttemptFact {
  return {
    type: report.ok ? 'attempt.succeeded' : 'attempt.failed',
    delivery_id: task.delivery_id,
    event_id: task.event.id,
    event_type: task.event.type,
    endpoint_id: task.endpoint_id,
    account_id: task.account_id,
    attempt,
    started_at: new Date(report.startedAt).toISOString(),
    duration_ms: report.durationMs,
    status_code: report.statusCode,
    error: report.error,
    response_body: report.responseBody,
    request_headers: report.requestHeaders,
    next_attempt_at: nextAttemptAt === null ? null : new Date(nextAttemptAt).toISOString(),
  };
}

export function attemptOutcome(
  topology: Topology,
  task: DeliveryTask,
  attempt: number,
  report: AttemptReport,
  nextAttemptAt: number | null,
): PublishIntent {
  const fact = attemptFact(task, attempt, report, nextAttemptAt);
  return {
    subject: topology.outcome(task.endpoint_id),
    payload: fact,
    msgId: `${runKey(task)}:${attempt}:${fact.type}`,
  };
}

/**
 * The attempt that ends a delivery, with the delivery's final fact inside it (`ends_delivery`): one OUTCOMES
 * message instead of two; readers split it with `splitOutcome`. Its msgID is the final fact's, so a redo of the
 * attempt after a crash (or after an older worker stored only the attempt) is stored once per run.
 */
export function endingOutcome(
  topology: Topology,
  task: DeliveryTask,
  attempt: number,
  report: AttemptReport,
  succeeded: boolean,
  now: number,
): PublishIntent {
  const fact = attemptFact(task, attempt, report, null);
  const type = succeeded ? 'delivery.succeeded' : 'delivery.failed';
  fact.ends_delivery = { type, attempts: attempt, occurred_at: new Date(now).toISOString() };
  return {
    subject: topology.outcome(task.endpoint_id),
    payload: fact,
    msgId: `${runKey(task)}:${attempt}:${type}`,
  };
}
