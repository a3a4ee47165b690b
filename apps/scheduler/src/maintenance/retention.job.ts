import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SchedulerSettings } from '../config/env.js';
import type { JobResult } from '../leader/run-log.js';
import { AuditTrail } from '../messaging/audit.js';

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
];

/**
 * Purges the scheduler's own finished rows older than RETENTION_DAYS, in batches of RETENTION_BATCH_SIZE (short
 * transactions, no long locks). audit-log purges its own attempts and bodies; the streams age out by max_age.
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger('Retention');

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
    return { cutoff: cutoff.toISOString(), purged };
  }
}
