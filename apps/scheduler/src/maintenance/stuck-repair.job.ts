import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SchedulerSettings } from '../config/env.js';
import { EventSource } from '../jobs/event-source.js';
import type { JobResult } from '../leader/run-log.js';
import { AuditTrail } from '../messaging/audit.js';
import { Bus } from '../messaging/bus.js';
import { TaskPublisher, taskMsgIds } from '../messaging/task-publisher.js';
import { ProjectionStatus } from '../projections/projection-status.js';

interface StuckRecord {
  id: string;
  endpoint_id: string;
  account_id: string;
  event_id: string;
  event_type: string;
  attempts: number;
  repairs: number;
  created_at: Date;
  source_stream: string | null;
  source_seq: string | null;
}

const PAGE_SIZE = 500;
const MAX_PAGES = 20;

/**
 * Deliveries still `pending` STUCK_AFTER past their next_attempt_at lost their task (a consumer deleted, a stream
 * purged): the due attempt is queued again on DELIVERIES. A first attempt (or an earlier repair) whose endpoint
 * still has tasks waiting on DELIVERIES is backlog, not loss, and is left alone so repairs never pile up.
 */
@Injectable()
export class StuckRepairJob {
  private readonly logger = new Logger('StuckRepair');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly bus: Bus,
    private readonly events: EventSource,
    private readonly tasks: TaskPublisher,
    private readonly audit: AuditTrail,
    private readonly projections: ProjectionStatus,
    private readonly settings: SchedulerSettings,
  ) {}

  async run(signal: AbortSignal, now = new Date()): Promise<JobResult> {
    if (!(await this.projections.caughtUp('outcomes', 'outcomes', signal)))
      return { skipped: 'projection behind' };
    const stuck = await this.overdue(new Date(now.getTime() - this.settings.timings.stuckAfterMs));
    const backlog = new Map<string, boolean>();
    const requeued: StuckRecord[] = [];
    let waiting = 0;
    let unrecoverable = 0;
    for (const delivery of stuck) {
      if (signal.aborted) break;
      if (
        (delivery.attempts === 0 || delivery.repairs > 0) &&
        (await this.hasQueuedTasks(delivery.endpoint_id, backlog))
      ) {
        waiting++;
        continue;
      }
      const outcome = await this.requeue(delivery);
      if (outcome) requeued.push(delivery);
      else unrecoverable++;
    }
    await this.report(requeued);
    return { stuck: stuck.length, requeued: requeued.length, waiting, unrecoverable };
  }

  /** Overdue deliveries of enabled endpoints, oldest first, page by page (backlogged ones must not hide the rest). */
  private async overdue(before: Date): Promise<StuckRecord[]> {
    const found: StuckRecord[] = [];
    let after: { at: Date; id: string } = { at: new Date(0), id: '' };
    for (let page = 0; page < MAX_PAGES; page++) {
      const rows = await this.db.query<(StuckRecord & { next_attempt_at: Date })[]>(
        `SELECT d.id, d.endpoint_id, d.account_id, d.event_id, d.event_type, d.attempts, d.repairs, d.created_at,
           d.source_stream, d.source_seq, d.next_attempt_at
         FROM scheduler.deliveries d JOIN scheduler.endpoints e ON e.id = d.endpoint_id
         WHERE d.status = 'pending' AND d.next_attempt_at < $1 AND (d.next_attempt_at, d.id) > ($2, $3)
           AND e.enabled AND e.deleted_at IS NULL
         ORDER BY d.next_attempt_at, d.id LIMIT $4`,
        [before, after.at, after.id, PAGE_SIZE],
      );
      found.push(...rows);
      const last = rows[rows.length - 1];
      if (!last || rows.length < PAGE_SIZE) break;
      after = { at: last.next_attempt_at, id: last.id };
    }
    return found;
  }

  private async hasQueuedTasks(endpointId: string, cache: Map<string, boolean>): Promise<boolean> {
    let queued = cache.get(endpointId);
    if (queued === undefined) {
      queued =
        (await this.bus.lastOn(this.bus.stream('deliveries'), this.bus.topology.delivery(endpointId))) !==
        null;
      cache.set(endpointId, queued);
    }
    return queued;
  }

  private async requeue(delivery: StuckRecord): Promise<boolean> {
    const event = await this.events.load({
      eventId: delivery.event_id,
      eventType: delivery.event_type,
      sourceStream: delivery.source_stream,
      sourceSeq: delivery.source_seq === null ? null : Number(delivery.source_seq),
      around: delivery.created_at,
    });
    if (!event) {
      // The body aged out of the streams: nothing can be sent. Stop watching it rather than retry forever.
      await this.db.query(
        `UPDATE scheduler.deliveries SET next_attempt_at = NULL, updated_at = now() WHERE id = $1`,
        [delivery.id],
      );
      this.logger.warn(
        `delivery ${delivery.id} is stuck but its event ${delivery.event_id} is no longer stored`,
      );
      return false;
    }
    const attempt = delivery.attempts + 1;
    await this.tasks.queue({
      deliveryId: delivery.id,
      endpointId: delivery.endpoint_id,
      accountId: delivery.account_id,
      event,
      firstAttempt: attempt,
      msgId: taskMsgIds.repair(delivery.id, attempt, delivery.repairs),
    });
    await this.db.query(
      `UPDATE scheduler.deliveries SET next_attempt_at = now(), repairs = repairs + 1, updated_at = now()
       WHERE id = $1 AND repairs = $2`,
      [delivery.id, delivery.repairs],
    );
    return true;
  }

  private async report(requeued: StuckRecord[]): Promise<void> {
    const byAccount = new Map<string, StuckRecord[]>();
    for (const d of requeued) byAccount.set(d.account_id, [...(byAccount.get(d.account_id) ?? []), d]);
    for (const [accountId, deliveries] of byAccount) {
      this.logger.warn(`re-queued ${deliveries.length} stuck deliveries of account ${accountId}`);
      await this.audit.tryRecord({
        action: 'scheduler.stuck_requeue',
        accountId,
        target: { kind: 'account', id: accountId },
        details: {
          count: deliveries.length,
          deliveries: deliveries
            .slice(0, 100)
            .map((d) => ({ id: d.id, endpoint_id: d.endpoint_id, attempt: d.attempts + 1 })),
        },
        dedupeKey: `stuck_requeue:${deliveries.map((d) => `${d.id}:${d.repairs}`).join(',')}`,
      });
    }
  }
}
