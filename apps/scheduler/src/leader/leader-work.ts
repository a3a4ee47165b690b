import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { JETSTREAM, type JetStreamContext } from '@codeplanet/jetstream';
import { SchedulerSettings } from '../config/env.js';
import { JobExecutor } from '../jobs/job-executor.js';
import { LeaseService } from '../lease/lease.service.js';
import { AdvisoryReconcileJob } from '../maintenance/advisory-reconcile.job.js';
import { AutoDisableJob } from '../maintenance/auto-disable.job.js';
import { RetentionJob } from '../maintenance/retention.job.js';
import { StuckRepairJob } from '../maintenance/stuck-repair.job.js';
import { advisoryStreamName } from '../messaging/bus.js';
import {
  AccountsProjection,
  AdvisoriesProjection,
  EndpointsProjection,
} from '../projections/facts.projections.js';
import { OutcomesProjection } from '../projections/outcomes.projection.js';
import { followStream, type Projection } from '../projections/stream-follower.js';
import { RunLog, type JobResult } from './run-log.js';
import { errorText, sleep } from './sleep.js';

/**
 * Everything only the leader does, for as long as its term lasts: follow the streams into the projections, run
 * queued recover/replay jobs, and the periodic jobs, each on its own interval. Replicas that do not lead only
 * serve HTTP (routes queue jobs in the table).
 */
@Injectable()
export class LeaderWork implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Leader');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(JETSTREAM) private readonly jetstream: JetStreamContext,
    private readonly settings: SchedulerSettings,
    private readonly lease: LeaseService,
    private readonly runLog: RunLog,
    private readonly executor: JobExecutor,
    private readonly autoDisable: AutoDisableJob,
    private readonly retention: RetentionJob,
    private readonly stuckRepair: StuckRepairJob,
    private readonly advisories: AdvisoryReconcileJob,
  ) {}

  onApplicationBootstrap(): void {
    this.lease.start((term) => this.lead(term));
  }

  /** Before Nest closes NATS and the database: end the term (in-flight work finishes) and release the lease. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.lease.stop();
  }

  private async lead(term: AbortSignal): Promise<void> {
    const { topology, js } = this.jetstream;
    const projections: Projection[] = [
      new AccountsProjection(topology.stream('accounts')),
      new EndpointsProjection(topology.stream('endpoints')),
      new OutcomesProjection(topology.stream('outcomes'), this.settings.timings.projectionLingerMs),
      new AdvisoriesProjection(advisoryStreamName(topology)),
    ];
    const batchSize = this.settings.env.PROJECTION_BATCH_SIZE;
    const t = this.settings.timings;
    await Promise.all([
      ...projections.map((projection) =>
        followStream(projection, { js, db: this.db, batchSize, signal: term }),
      ),
      this.every(term, 'jobs', t.jobPollMs, () => this.executor.runOpenJobs(term)),
      this.every(term, 'auto_disable', t.autoDisableCheckMs, () =>
        this.record('auto_disable', term, this.autoDisable),
      ),
      this.every(term, 'retention', t.retentionCheckMs, () => this.record('retention', term, this.retention)),
      this.every(term, 'stuck_repair', t.stuckCheckMs, () =>
        this.record('stuck_repair', term, this.stuckRepair),
      ),
      this.every(term, 'max_deliveries', t.advisoryCheckMs, () =>
        this.record('max_deliveries', term, this.advisories),
      ),
    ]);
    this.logger.log('term ended: leader work stopped');
  }

  private async record(
    job: string,
    term: AbortSignal,
    runner: { run(signal: AbortSignal): Promise<JobResult> },
  ) {
    await this.runLog.run(job, () => runner.run(term));
  }

  /** Runs `work` now and then every `intervalMs` (measured from the end of a run) until the term ends. */
  private async every(
    term: AbortSignal,
    name: string,
    intervalMs: number,
    work: () => Promise<void>,
  ): Promise<void> {
    while (!term.aborted) {
      try {
        if (this.lease.isLeader()) await work();
      } catch (error) {
        this.logger.error(`${name} failed: ${errorText(error)}`);
      }
      await sleep(intervalMs, term);
    }
  }
}
