import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { metrics } from '@codeplanet/service-kit';
import { LeaseService } from '../lease/lease.service.js';
import { errorText } from './sleep.js';

export type JobResult = Record<string, unknown>;

/**
 * Runs one leader job and writes it to `scheduler.job_runs` with this replica's id: the record that shows which
 * replica ran what, when (two leaders at once would show as overlapping runs from two instances).
 */
@Injectable()
export class RunLog {
  private readonly logger = new Logger('Jobs');
  private readonly runs = metrics.counter('scheduler_job_runs_total', 'Leader job runs', ['job', 'result']);
  private readonly duration = metrics.histogram('scheduler_job_duration_seconds', 'Leader job run time', [
    'job',
  ]);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly lease: LeaseService,
  ) {}

  async run(job: string, work: () => Promise<JobResult>): Promise<JobResult | undefined> {
    const started = new Date();
    const rows = await this.db.query<{ id: string }[]>(
      `INSERT INTO scheduler.job_runs (job, instance_id, started_at) VALUES ($1, $2, $3) RETURNING id`,
      [job, this.lease.instanceId, started],
    );
    const id = rows[0]?.id;
    let result: JobResult;
    try {
      result = await work();
      this.runs.inc({ job, result: 'ok' });
    } catch (error) {
      this.runs.inc({ job, result: 'error' });
      this.logger.error(`${job} failed: ${errorText(error)}`);
      result = { error: errorText(error) };
    }
    this.duration.observe({ job }, (Date.now() - started.getTime()) / 1000);
    await this.db
      .query(`UPDATE scheduler.job_runs SET finished_at = now(), result = $2 WHERE id = $1`, [
        id,
        JSON.stringify(result),
      ])
      .catch((error: unknown) => this.logger.warn(`could not close run ${job}: ${errorText(error)}`));
    return result;
  }
}
