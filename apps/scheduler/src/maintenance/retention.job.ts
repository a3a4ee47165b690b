import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DAY_MS, metrics } from '@codeplanet/service-kit';
import { SchedulerSettings } from '../config/env.js';
import type { JobResult } from '../leader/run-log.js';
import { errorText } from '../leader/sleep.js';
import { AuditTrail } from '../messaging/audit.js';

/** The AuditFact action that asks audit-log to purge attempts, response bodies and finished deliveries. */
export const RETENTION_PURGE_ACTION = 'scheduler.retention_purge';

/** Each target: the rows older than the cutoff ($1) that may go, oldest first, as `ctid`s of the table. */
const TARGETS: { table: string; select: string }[] = [
  {
    table: 'job_items',
    select: `SELECT i.ctid FROM scheduler.job_items i JOIN scheduler.jobs j ON j.id = i.job_id
             WHERE j.finished_at < $1 LIMIT $2`,
  },
  {
    table: 'jobs',
    select: `SELECT ctid FROM scheduler.jobs WHERE finished_at < $1 ORDER BY finished_at LIMIT $2`,
  },
  {
    table: 'deliveries',
    select: `SELECT ctid FROM scheduler.deliveries WHERE status IN ('succeeded', 'failed') AND updated_at < $1
             ORDER BY updated_at LIMIT $2`,
  },
  {
    table: 'advisories',
    select: `SELECT ctid FROM scheduler.advisories WHERE processed_at < $1 ORDER BY processed_at LIMIT $2`,
  },
  {
    table: 'endpoint_alerts',
    select: `SELECT ctid FROM scheduler.endpoint_alerts WHERE disabled_at < $1 LIMIT $2`,
  },
  {
    table: 'endpoint_health',
    select: `SELECT h.ctid FROM scheduler.endpoint_health h JOIN scheduler.endpoints e ON e.id = h.endpoint_id
             WHERE e.deleted_at < $1 LIMIT $2`,
  },
  {
    table: 'endpoints',
    select: `SELECT ctid FROM scheduler.endpoints WHERE deleted_at < $1 LIMIT $2`,
  },
  {
    table: 'job_runs',
    select: `SELECT ctid FROM scheduler.job_runs WHERE started_at < $1 ORDER BY started_at LIMIT $2`,
  },
  {
    table: 'purge_requests',
    select: `SELECT ctid FROM scheduler.purge_requests WHERE window_start < $1 LIMIT $2`,
  },
];

/**
 * The retention window `now` falls in (one UTC day, or RETENTION_DAYS when that is shorter) and what the purge
 * request of that window asks for: everything older than the window's start minus RETENTION_DAYS. Every run in
 * the same window computes the same request, so it is published once.
 */
export function purgeWindow(now: Date, retentionMs: number): { windowStart: Date; purgeBefore: Date } {
  const windowMs = Math.max(1, Math.min(DAY_MS, retentionMs));
  const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
  return { windowStart: new Date(windowStart), purgeBefore: new Date(windowStart - retentionMs) };
}

interface PurgeRequestResult {
  id: string;
  purge_before: string;
  /** False when this window's request was already published by an earlier run. */
  published: boolean;
}

/**
 * Purges the scheduler's own finished rows older than RETENTION_DAYS, in batches of RETENTION_BATCH_SIZE (short
 * transactions, no long locks), and once per window asks audit-log, by a `scheduler.retention_purge` fact on
 * `audit._admin`, to purge its attempts and response bodies (apps never touch each other's tables). The streams
 * age out by their max_age, provisioned from the same RETENTION_DAYS.
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger('Retention');
  private readonly requests = metrics.counter(
    'scheduler_retention_purge_requests_total',
    'retention_purge facts published to audit-log',
  );

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditTrail,
    private readonly settings: SchedulerSettings,
  ) {}

  async run(signal: AbortSignal, now = new Date()): Promise<JobResult> {
    const cutoff = new Date(now.getTime() - this.settings.timings.retentionMs);
    const batch = this.settings.env.RETENTION_BATCH_SIZE;
    const purged: Record<string, number> = {};
    for (const target of TARGETS) {
      let total = 0;
      while (!signal.aborted) {
        const result = await this.db.query<[unknown[], number]>(
          `DELETE FROM scheduler.${target.table} WHERE ctid = ANY(ARRAY(${target.select}))`,
          [cutoff, batch],
        );
        const deleted = result[1];
        total += deleted;
        if (deleted < batch) break;
      }
      if (total > 0) purged[target.table] = total;
    }
    const count = Object.values(purged).reduce((sum, n) => sum + n, 0);
    if (count > 0) {
      this.logger.log(`purged ${count} rows older than ${cutoff.toISOString()}`);
      await this.audit.tryRecord({
        action: 'scheduler.retention',
        accountId: null,
        target: { kind: 'scheduler', id: 'retention' },
        details: { cutoff: cutoff.toISOString(), purged },
      });
    }
    if (signal.aborted) return { cutoff: cutoff.toISOString(), purged };
    const purgeRequest = await this.requestPurge(now).catch((error: unknown) => {
      // Not recorded as published: the next run in this window tries again.
      this.logger.error(`purge request not published: ${errorText(error)}`);
      return { error: errorText(error) };
    });
    return { cutoff: cutoff.toISOString(), purged, purge_request: purgeRequest };
  }

  /** Publishes this window's purge request unless an earlier run did. */
  private async requestPurge(now: Date): Promise<PurgeRequestResult> {
    const { windowStart, purgeBefore } = purgeWindow(now, this.settings.timings.retentionMs);
    // The cutoff names the request: one per window while RETENTION_DAYS stays the same, a new one if it changes.
    const dedupeKey = `${RETENTION_PURGE_ACTION}:${purgeBefore.toISOString()}`;
    const done = await this.db.query<{ fact_id: string }[]>(
      `SELECT fact_id FROM scheduler.purge_requests WHERE purge_before = $1`,
      [purgeBefore],
    );
    if (done[0]) return { id: done[0].fact_id, purge_before: purgeBefore.toISOString(), published: false };
    // Same window, same id and msgID: two leaders overlapping for a moment publish it once.
    const id = await this.audit.record(
      {
        action: RETENTION_PURGE_ACTION,
        accountId: null,
        target: { kind: 'scheduler', id: 'retention' },
        details: {
          purge_before: purgeBefore.toISOString(),
          window_start: windowStart.toISOString(),
          retention_days: this.settings.env.RETENTION_DAYS,
        },
        dedupeKey,
      },
      now,
    );
    await this.db.query(
      `INSERT INTO scheduler.purge_requests (window_start, fact_id, purge_before, published_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT (purge_before) DO NOTHING`,
      [windowStart, id, purgeBefore, now],
    );
    this.requests.inc();
    this.logger.log(`asked audit-log to purge attempts before ${purgeBefore.toISOString()}`);
    return { id, purge_before: purgeBefore.toISOString(), published: true };
  }
}
