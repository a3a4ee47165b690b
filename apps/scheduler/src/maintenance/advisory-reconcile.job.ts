import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DeliveryTask, OutcomeFact } from '@codeplanet/event-schemas';
import { SchedulerSettings } from '../config/env.js';
import type { JobResult } from '../leader/run-log.js';
import { AuditTrail } from '../messaging/audit.js';
import { Bus } from '../messaging/bus.js';
import { ProjectionStatus } from '../projections/projection-status.js';

interface AdvisoryRecord {
  seq: string;
  stream: string;
  consumer: string;
  stream_seq: string;
  deliveries: number;
}

/** The worker's msgID for a delivery's final fact (apps/delivery-worker outcome-facts.ts): shared, so one is kept. */
export function finalFactMsgId(task: DeliveryTask, attempts: number, type: 'delivery.failed'): string {
  const run = task.cause ? `${task.delivery_id}:${task.cause.job_id}` : task.delivery_id;
  return `${run}:${attempts}:${type}`;
}

/** The attempt RETRIES delivery `d` stood for (the worker's RetryPlanner.retryAttempt). */
export function attemptOfRetryDelivery(task: DeliveryTask, deliveries: number): number {
  const firstRetry = Number.isInteger(task.first_attempt) && task.first_attempt >= 2 ? task.first_attempt : 2;
  return deliveries + firstRetry - 2;
}

/**
 * The RETRIES consumer gave up on a task (max_deliver reached without an answer: a worker died on the last
 * attempt). If no final outcome was recorded for that run, `delivery.failed` is published with the msgID the
 * worker would have used, so a late worker fact and ours collapse into one; the dead task is removed.
 */
@Injectable()
export class AdvisoryReconcileJob {
  private readonly logger = new Logger('MaxDeliveries');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly bus: Bus,
    private readonly audit: AuditTrail,
    private readonly projections: ProjectionStatus,
    private readonly settings: SchedulerSettings,
  ) {}

  async run(signal: AbortSignal, now = new Date()): Promise<JobResult> {
    const due = await this.db.query<AdvisoryRecord[]>(
      `SELECT seq, stream, consumer, stream_seq, deliveries FROM scheduler.advisories
       WHERE processed_at IS NULL AND raised_at < $1 ORDER BY seq LIMIT 200`,
      [new Date(now.getTime() - this.settings.timings.advisoryGraceMs)],
    );
    if (due.length === 0) return { advisories: 0 };
    if (!(await this.projections.caughtUp('outcomes', 'outcomes', signal)))
      return { skipped: 'projection behind' };
    const outcomes: Record<string, number> = {};
    for (const advisory of due) {
      if (signal.aborted) break;
      const outcome = await this.reconcile(advisory);
      await this.db.query(
        `UPDATE scheduler.advisories SET processed_at = now(), outcome = $2 WHERE seq = $1`,
        [advisory.seq, outcome],
      );
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    return { advisories: due.length, ...outcomes };
  }

  private async reconcile(advisory: AdvisoryRecord): Promise<string> {
    const retries = this.bus.stream('retries');
    if (advisory.stream !== retries) return 'other_stream';
    const msg = await this.bus.bySeq(retries, Number(advisory.stream_seq));
    if (!msg) return 'task_gone';
    const task = msg.json<DeliveryTask>();
    const rows = await this.db.query<{ status: string; final_at: Date | null }[]>(
      `SELECT status, final_at FROM scheduler.deliveries WHERE id = $1`,
      [task.delivery_id],
    );
    const row = rows[0];
    if (row && row.status !== 'pending' && row.final_at && row.final_at.getTime() >= task.enqueued_at) {
      await this.bus.deleteMessage(retries, msg.seq);
      return 'already_final';
    }
    const attempts = attemptOfRetryDelivery(task, advisory.deliveries);
    const at = new Date();
    const fact: OutcomeFact = {
      type: 'delivery.failed',
      delivery_id: task.delivery_id,
      event_id: task.event.id,
      event_type: task.event.type,
      endpoint_id: task.endpoint_id,
      account_id: task.account_id,
      attempts,
      occurred_at: at.toISOString(),
    };
    await this.bus.publish(this.bus.topology.outcome(task.endpoint_id), fact, {
      msgId: finalFactMsgId(task, attempts, 'delivery.failed'),
    });
    // Settle the row now, so stuck-work repair does not re-queue it before the projection reads the fact back.
    await this.db.transaction(async (m) => {
      await m.query(
        `UPDATE scheduler.deliveries SET status = 'failed', final_at = $2, next_attempt_at = NULL, updated_at = now()
         WHERE id = $1`,
        [task.delivery_id, at],
      );
      await m.query(
        `UPDATE scheduler.job_items SET final_status = 'failed', finished_at = $2
         WHERE delivery_id = $1 AND queued_at IS NOT NULL AND finished_at IS NULL`,
        [task.delivery_id, at],
      );
    });
    await this.bus.deleteMessage(retries, msg.seq);
    await this.audit.tryRecord({
      action: 'scheduler.max_deliveries_reconciled',
      accountId: task.account_id,
      target: { kind: 'delivery', id: task.delivery_id },
      details: {
        event_id: task.event.id,
        endpoint_id: task.endpoint_id,
        attempts,
        consumer: advisory.consumer,
      },
      dedupeKey: `max_deliveries:${advisory.stream}:${advisory.stream_seq}`,
    });
    this.logger.warn(
      `delivery ${task.delivery_id} ended failed after the RETRIES consumer gave up (${attempts} attempts)`,
    );
    return 'reconciled';
  }
}
