import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { deliveryIdFor } from '@codeplanet/event-schemas';
import { EventSource } from './event-source.js';

export interface OpenJob {
  id: string;
  kind: 'recover' | 'replay';
  account_id: string;
  endpoint_id: string;
  params: { since: string; until?: string; types?: string[] };
  total: number | null;
}

const INSERT_BATCH = 500;

/**
 * Step one of a job: record what it will queue as `job_items`, then set `total`. Selection is repeatable (items
 * are keyed by job and delivery), so a leader that dies mid-selection leaves nothing its successor cannot redo.
 */
@Injectable()
export class JobSelection {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventSource,
  ) {}

  /** Recover: every delivery of the endpoint that ended `failed` at or after `since`. */
  async recover(job: OpenJob): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query(
        `INSERT INTO scheduler.job_items (job_id, delivery_id, event_id, event_type, source_stream, source_seq)
         SELECT $1, id, event_id, event_type, source_stream, source_seq FROM scheduler.deliveries
         WHERE endpoint_id = $2 AND account_id = $3 AND status = 'failed' AND final_at >= $4
         ON CONFLICT DO NOTHING`,
        [job.id, job.endpoint_id, job.account_id, job.params.since],
      );
      await this.setTotal(m, job.id);
    });
  }

  /** Replay: every valid, non-test event of the account, of the given types, stored in [since, until]. */
  async replay(job: OpenJob, signal: AbortSignal): Promise<boolean> {
    const since = new Date(job.params.since);
    const until = new Date(job.params.until ?? Date.now());
    let rows: Record<string, unknown>[] = [];
    const flush = async (): Promise<void> => {
      if (rows.length === 0) return;
      await this.db.query(
        `INSERT INTO scheduler.job_items (job_id, delivery_id, event_id, event_type, source_stream, source_seq)
         SELECT $1, r.delivery_id, r.event_id, r.event_type, 'events', r.seq
         FROM jsonb_to_recordset($2::jsonb) AS r(delivery_id text, event_id text, event_type text, seq bigint)
         ON CONFLICT DO NOTHING`,
        [job.id, JSON.stringify(rows)],
      );
      rows = [];
    };
    for (const type of job.params.types ?? []) {
      const subject = this.events.subjectOf(type);
      await this.events.scan({ subject, since, until, signal }, async (event, seq) => {
        if (event.account_id !== job.account_id || event.test) return true;
        rows.push({
          delivery_id: deliveryIdFor(event.id, job.endpoint_id, job.id),
          event_id: event.id,
          event_type: event.type,
          seq,
        });
        if (rows.length >= INSERT_BATCH) await flush();
        return !signal.aborted;
      });
      await flush();
      if (signal.aborted) return false;
    }
    await this.setTotal(this.db, job.id);
    return true;
  }

  private async setTotal(db: Pick<DataSource, 'query'>, jobId: string): Promise<void> {
    await db.query(
      `UPDATE scheduler.jobs SET total = (SELECT count(*) FROM scheduler.job_items WHERE job_id = $1),
         status = 'running', started_at = coalesce(started_at, now()) WHERE id = $1`,
      [jobId],
    );
  }
}
