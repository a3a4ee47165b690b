import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SchedulerSettings } from '../config/env.js';
import { LeaseService } from '../lease/lease.service.js';
import { RunLog, type JobResult } from '../leader/run-log.js';
import { AuditTrail } from '../messaging/audit.js';
import { TaskPublisher, taskMsgIds, type TaskToQueue } from '../messaging/task-publisher.js';
import { ProjectionStatus } from '../projections/projection-status.js';
import { EndpointDirectory } from './endpoint-directory.js';
import { EventSource } from './event-source.js';
import { JobSelection, type OpenJob } from './job-selection.js';

interface ItemRecord {
  delivery_id: string;
  event_id: string;
  event_type: string;
  source_stream: string | null;
  source_seq: string | null;
  created_at: Date | null;
  queued_at: Date | null;
}

/** A job that cannot run (its endpoint is gone): marked failed instead of retried. */
class JobRejected extends Error {}

/**
 * Runs queued recover/replay jobs on the leader, oldest first, one at a time (so two recovers of one endpoint
 * never select the same delivery). Select the items, then queue them in batches: mark the batch queued (and its
 * deliveries pending), publish with a deduping msgID, mark it published. Marking first means the OUTCOMES
 * projection always finds the item and the pending row when an outcome comes back, however fast. A failover
 * before the publish is marked re-publishes the batch, which JetStream drops as duplicates (within its window);
 * a second run of a finished job finds nothing left to queue.
 */
@Injectable()
export class JobExecutor {
  private readonly logger = new Logger('JobExecutor');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly selection: JobSelection,
    private readonly events: EventSource,
    private readonly endpoints: EndpointDirectory,
    private readonly tasks: TaskPublisher,
    private readonly audit: AuditTrail,
    private readonly runLog: RunLog,
    private readonly lease: LeaseService,
    private readonly projections: ProjectionStatus,
    private readonly settings: SchedulerSettings,
  ) {}

  /** One poll: runs open jobs until none is left, the term ends, or one fails for a transient reason. */
  async runOpenJobs(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && this.lease.isLeader()) {
      const rows = await this.db.query<OpenJob[]>(
        `SELECT id, kind, account_id, endpoint_id, params, total FROM scheduler.jobs
         WHERE status IN ('queued', 'running') ORDER BY created_at, id LIMIT 1`,
      );
      const job = rows[0];
      if (!job) return;
      const result = await this.runLog.run(job.kind, () => this.execute(job, signal));
      if (!result || result.completed !== true) return;
    }
  }

  private async execute(job: OpenJob, signal: AbortSignal): Promise<JobResult> {
    try {
      await this.checkEndpoint(job);
      await this.db.query(
        `UPDATE scheduler.jobs SET status = 'running', started_at = coalesce(started_at, now()) WHERE id = $1`,
        [job.id],
      );
      if (job.total === null) {
        // Recover selects from the OUTCOMES projection: first let it read every outcome recorded until now.
        if (job.kind === 'recover' && !(await this.projections.caughtUp('outcomes', 'outcomes', signal))) {
          return { job_id: job.id, completed: false };
        }
        if (job.kind === 'recover') await this.selection.recover(job);
        else if (!(await this.selection.replay(job, signal))) return { job_id: job.id, completed: false };
      }
      const batches = await this.queueItems(job, signal);
      if (batches === null) return { job_id: job.id, completed: false };
      return { ...(await this.finish(job)), completed: true };
    } catch (error) {
      if (!(error instanceof JobRejected)) throw error;
      await this.db.query(
        `UPDATE scheduler.jobs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`,
        [job.id, error.message],
      );
      await this.audit.tryRecord({
        action: `scheduler.${job.kind}.failed`,
        accountId: job.account_id,
        target: { kind: 'endpoint', id: job.endpoint_id },
        details: { job_id: job.id, error: error.message },
        dedupeKey: `${job.id}:failed`,
      });
      return { job_id: job.id, completed: true, error: error.message };
    }
  }

  private async checkEndpoint(job: OpenJob): Promise<void> {
    const endpoint = await this.endpoints.find(job.account_id, job.endpoint_id);
    if (!endpoint) throw new JobRejected('endpoint_deleted: the endpoint no longer exists');
    if (!endpoint.state.enabled) throw new JobRejected('endpoint_disabled: the endpoint was disabled');
  }

  /** Queues every unqueued item; returns the number of batches, or null when the term ended first. */
  private async queueItems(job: OpenJob, signal: AbortSignal): Promise<number | null> {
    let batches = 0;
    for (;;) {
      if (signal.aborted || !this.lease.isLeader()) return null;
      const items = await this.db.query<ItemRecord[]>(
        `SELECT i.delivery_id, i.event_id, i.event_type, i.source_stream, i.source_seq, i.queued_at, d.created_at
         FROM scheduler.job_items i LEFT JOIN scheduler.deliveries d ON d.id = i.delivery_id
         WHERE i.job_id = $1 AND i.published_at IS NULL AND i.skip_reason IS NULL
         ORDER BY i.delivery_id LIMIT $2`,
        [job.id, this.settings.env.JOB_BATCH_SIZE],
      );
      if (items.length === 0) return batches;
      const tasks = await Promise.all(items.map((item) => this.taskFor(job, item)));
      const ready = items.filter((_, i) => tasks[i]);
      const skipped = items.filter((_, i) => !tasks[i]).map((item) => item.delivery_id);
      // Items marked by an earlier run that stopped before publishing keep their mark (and their rows).
      await this.markQueued(
        job,
        ready.filter((item) => item.queued_at === null),
        skipped,
      );
      await Promise.all(
        tasks.filter((task): task is TaskToQueue => task !== null).map((task) => this.tasks.queue(task)),
      );
      await this.db.query(
        `UPDATE scheduler.job_items SET published_at = now() WHERE job_id = $1 AND delivery_id = ANY($2)`,
        [job.id, ready.map((item) => item.delivery_id)],
      );
      batches++;
    }
  }

  /** The task that re-sends this item, or null when its event can no longer be read. */
  private async taskFor(job: OpenJob, item: ItemRecord): Promise<TaskToQueue | null> {
    const event = await this.events.load({
      eventId: item.event_id,
      eventType: item.event_type,
      sourceStream: item.source_stream,
      sourceSeq: item.source_seq === null ? null : Number(item.source_seq),
      ...(item.created_at ? { around: item.created_at } : {}),
    });
    if (!event) return null;
    return {
      deliveryId: item.delivery_id,
      endpointId: job.endpoint_id,
      accountId: job.account_id,
      event,
      firstAttempt: 1,
      cause: { kind: job.kind, job_id: job.id },
      msgId:
        job.kind === 'recover'
          ? taskMsgIds.recover(item.delivery_id, job.id)
          : taskMsgIds.replay(event.id, job.endpoint_id, job.id),
    };
  }

  private async markQueued(job: OpenJob, queued: ItemRecord[], skipped: string[]): Promise<void> {
    const ids = queued.map((item) => item.delivery_id);
    await this.db.transaction(async (m) => {
      await m.query(
        `UPDATE scheduler.job_items SET queued_at = now() WHERE job_id = $1 AND delivery_id = ANY($2)`,
        [job.id, ids],
      );
      if (skipped.length > 0) {
        await m.query(
          `UPDATE scheduler.job_items SET skip_reason = 'event_unavailable' WHERE job_id = $1 AND delivery_id = ANY($2)`,
          [job.id, skipped],
        );
      }
      if (ids.length === 0) return;
      if (job.kind === 'recover') {
        // A fresh ladder: pending again, due now (so stuck-work repair watches it like any other delivery).
        await m.query(
          `UPDATE scheduler.deliveries SET status = 'pending', next_attempt_at = now(), final_at = NULL,
             repairs = 0, updated_at = now() WHERE id = ANY($1) AND status = 'failed'`,
          [ids],
        );
      } else {
        await m.query(
          `INSERT INTO scheduler.deliveries (id, endpoint_id, account_id, event_id, event_type, status, attempts,
             created_at, next_attempt_at, source_stream, source_seq)
           SELECT r.delivery_id, $1, $2, r.event_id, r.event_type, 'pending', 0, now(), now(), r.source_stream, r.source_seq
           FROM jsonb_to_recordset($3::jsonb) AS r(delivery_id text, event_id text, event_type text,
             source_stream text, source_seq bigint)
           ON CONFLICT (id) DO NOTHING`,
          [job.endpoint_id, job.account_id, JSON.stringify(queued)],
        );
      }
    });
  }

  private async finish(job: OpenJob): Promise<JobResult> {
    const rows = await this.db.query<{ total: number; queued: string; skipped: string }[]>(
      `UPDATE scheduler.jobs j SET status = 'completed', finished_at = now() WHERE id = $1
       RETURNING total, (SELECT count(queued_at) FROM scheduler.job_items WHERE job_id = $1) AS queued,
         (SELECT count(skip_reason) FROM scheduler.job_items WHERE job_id = $1) AS skipped`,
      [job.id],
    );
    const counts = {
      total: rows[0]?.total ?? 0,
      queued: Number(rows[0]?.queued ?? 0),
      skipped: Number(rows[0]?.skipped ?? 0),
    };
    this.logger.log(
      `${job.kind} ${job.id} for ${job.endpoint_id}: ${counts.queued} queued, ${counts.skipped} skipped`,
    );
    await this.audit.tryRecord({
      action: `scheduler.${job.kind}.completed`,
      accountId: job.account_id,
      target: { kind: 'endpoint', id: job.endpoint_id },
      details: { job_id: job.id, ...job.params, ...counts },
      dedupeKey: `${job.id}:completed`,
    });
    return { job_id: job.id, ...counts };
  }
}
