import type { DataSource } from 'typeorm';
import type { LogSink } from '@codeplanet/jetstream';
import { metrics } from '@codeplanet/service-kit';

export const PURGED_TABLES = ['deliveries', 'attempts', 'events', 'rejected_events'] as const;
export type PurgedTable = (typeof PURGED_TABLES)[number];

export interface PurgeCounts {
  /** Rows deleted, per table. */
  rows: Record<PurgedTable, number>;
  /** Old attempts kept because their delivery is still in the window, whose body and headers were cleared. */
  cleared_bodies: number;
  /** Statements run, each its own short transaction of at most the batch size. */
  statements: number;
}

export interface PurgeRun extends PurgeCounts {
  id: string;
  purge_before: string;
}

export interface RetentionPurgerOptions {
  dataSource: DataSource;
  /** Rows per statement (`RETENTION_PURGE_BATCH_SIZE`). */
  batchSize: number;
  logger: LogSink;
  /** After a failed purge (Postgres down), try again this much later. Default 30 s. */
  retryMs?: number;
  /**
   * Resolves once the projections have applied what the streams held when it was called (Projections
   * `waitUntilApplied`); purges wait for it, so facts published before a request are in the tables before it runs.
   */
  projectionsApplied?: (stopped: () => boolean) => Promise<void>;
}

/**
 * The purge, one step after the other; each statement touches at most `$2` rows older than `$1`.
 * Deliveries go first, so the Logs never list a delivery whose attempts are gone: a delivery with no fact since the
 * cutoff (`updated_at` is its latest fact) goes with all its attempts; one still active keeps every attempt row,
 * but those older than the cutoff lose their response body and request headers. Events go once no delivery
 * points at them; rejected events by their time.
 *
 * `updated_at` has no index (it changes on every update, and an index on it would keep the projection's updates
 * from being HOT): old deliveries are found through `deliveries_created`. `created_at` is a delivery's earliest
 * fact and `updated_at` its latest, so `updated_at < $1` implies `created_at < $1`; the extra condition selects the
 * same rows.
 */
const STEPS: { key: PurgedTable | 'bodies'; sql: string }[] = [
  {
    key: 'deliveries',
    sql: `DELETE FROM audit.deliveries WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM audit.deliveries WHERE created_at < $1 AND updated_at < $1 LIMIT $2))`,
  },
  {
    key: 'attempts',
    sql: `DELETE FROM audit.attempts WHERE ctid = ANY(ARRAY(
            SELECT a.ctid FROM audit.attempts a
            WHERE a.started_at < $1 AND NOT EXISTS (SELECT 1 FROM audit.deliveries d WHERE d.id = a.delivery_id)
            LIMIT $2))`,
  },
  {
    key: 'bodies',
    sql: `UPDATE audit.attempts SET response_body = NULL, request_headers = '{}'::jsonb WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM audit.attempts
            WHERE started_at < $1 AND (response_body IS NOT NULL OR request_headers <> '{}'::jsonb)
            LIMIT $2))`,
  },
  {
    key: 'events',
    sql: `DELETE FROM audit.events WHERE ctid = ANY(ARRAY(
            SELECT e.ctid FROM audit.events e
            WHERE e.created_at < $1 AND NOT EXISTS (SELECT 1 FROM audit.deliveries d WHERE d.event_id = e.id)
            LIMIT $2))`,
  },
  {
    key: 'rejected_events',
    sql: `DELETE FROM audit.rejected_events WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM audit.rejected_events WHERE occurred_at < $1 LIMIT $2))`,
  },
];

const retentionMetrics = {
  purgedRows: metrics.counter('audit_retention_purged_rows_total', 'Rows deleted by retention purges', [
    'table',
  ]),
  clearedBodies: metrics.counter(
    'audit_retention_cleared_bodies_total',
    'Attempts whose response body and request headers retention cleared (their delivery is still recent)',
  ),
  runs: metrics.counter('audit_retention_runs_total', 'Retention purge runs, by result', ['result']),
  purgeBefore: metrics.gauge(
    'audit_retention_purge_before_seconds',
    'Cutoff of the last completed retention purge (unix seconds)',
  ),
};

/**
 * Carries out the `scheduler.retention_purge` requests the AUDIT projection recorded in `purge_requests`, outside
 * any projection transaction. Kicked after the batch that recorded a request commits, and at start (requests a
 * crash left open). Requests pending together are served by one purge at the latest cutoff. Purging is
 * idempotent, so a replayed request, two replicas purging at once or a rerun after a crash delete nothing twice.
 */
export class RetentionPurger {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RetentionPurgerOptions) {}

  /** Runs the open requests in the background (at most one run at a time; a kick during a run runs again). */
  kick(): void {
    if (this.stopped) return;
    this.again = true;
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
      if (this.again) this.kick();
    });
  }

  /** Stops between two statements; an unfinished request stays open for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.running;
  }

  /**
   * Runs every open request, latest cutoff first, until none is open. `rerunLatest` first reopens the latest
   * request (the rebuild does, after the replay, so rows the replay brought back are purged again).
   */
  async drain(options: { rerunLatest?: boolean } = {}): Promise<PurgeRun[]> {
    const db = this.options.dataSource;
    if (options.rerunLatest) {
      await db.query(
        `UPDATE audit.purge_requests SET completed_at = NULL, purged = NULL
         WHERE id = (SELECT id FROM audit.purge_requests ORDER BY purge_before DESC, id LIMIT 1)`,
      );
    }
    const runs: PurgeRun[] = [];
    while (!this.stopped) {
      await this.options.projectionsApplied?.(() => this.stopped);
      const open = await db.query<Array<{ id: string; purge_before: Date }>>(
        `SELECT id, purge_before FROM audit.purge_requests WHERE completed_at IS NULL
         ORDER BY purge_before DESC, id`,
      );
      const latest = open[0];
      if (!latest) break;
      const counts = await this.purge(latest.purge_before);
      if (!counts) break;
      // Older open requests are covered by this purge.
      await db.query(
        `UPDATE audit.purge_requests
         SET completed_at = now(),
             purged = CASE WHEN id = $1 THEN $2::jsonb ELSE jsonb_build_object('covered_by', $1::text) END
         WHERE id = ANY($3) AND completed_at IS NULL`,
        [latest.id, JSON.stringify(counts), open.map((r) => r.id)],
      );
      runs.push({ id: latest.id, purge_before: latest.purge_before.toISOString(), ...counts });
    }
    return runs;
  }

  /** Every step in batches, until a statement touches fewer rows than the batch; undefined if stopped midway. */
  async purge(before: Date): Promise<PurgeCounts | undefined> {
    const { dataSource, batchSize, logger } = this.options;
    const counts: PurgeCounts = {
      rows: { deliveries: 0, attempts: 0, events: 0, rejected_events: 0 },
      cleared_bodies: 0,
      statements: 0,
    };
    for (const step of STEPS) {
      for (;;) {
        if (this.stopped) return undefined;
        const n = affected(await dataSource.query(step.sql, [before, batchSize]));
        counts.statements++;
        if (step.key === 'bodies') {
          counts.cleared_bodies += n;
          retentionMetrics.clearedBodies.inc(n);
        } else {
          counts.rows[step.key] += n;
          retentionMetrics.purgedRows.inc({ table: step.key }, n);
        }
        if (n < batchSize) break;
      }
    }
    retentionMetrics.runs.inc({ result: 'completed' });
    retentionMetrics.purgeBefore.set(Math.floor(before.getTime() / 1000));
    const total = Object.values(counts.rows).reduce((sum, n) => sum + n, 0);
    logger.log(
      `retention: purged ${total} rows older than ${before.toISOString()} ` +
        `(${PURGED_TABLES.map((t) => `${t}=${counts.rows[t]}`).join(' ')}), ` +
        `cleared ${counts.cleared_bodies} bodies, ${counts.statements} statements`,
    );
    return counts;
  }

  private async loop(): Promise<void> {
    while (this.again && !this.stopped) {
      this.again = false;
      try {
        await this.drain();
      } catch (error) {
        retentionMetrics.runs.inc({ result: 'failed' });
        const retryMs = this.options.retryMs ?? 30_000;
        this.options.logger.error(
          `retention purge failed, retrying in ${retryMs} ms: ${error instanceof Error ? error.message : String(error)}`,
        );
        this.retryTimer = setTimeout(() => this.kick(), retryMs);
        this.retryTimer.unref();
        return;
      }
    }
  }
}

/** TypeORM answers UPDATE/DELETE on Postgres with `[rows, affected]`. */
function affected(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
