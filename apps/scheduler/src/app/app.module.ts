import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JetStreamModule } from '@codeplanet/jetstream';
import {
  API_KEY_LOOKUP,
  AUTH_OPTIONS,
  BearerAuthGuard,
  HealthModule,
  MetricsModule,
  streamRetentionOf,
  type AuthOptions,
} from '@codeplanet/service-kit';
import { ProjectedApiKeys } from '../auth/api-key-lookup.js';
import { SchedulerSettings } from '../config/env.js';
import { DatabaseModule } from '../database/database.module.js';
import { EndpointDirectory } from '../jobs/endpoint-directory.js';
import { EventSource } from '../jobs/event-source.js';
import { JobExecutor } from '../jobs/job-executor.js';
import { JobSelection } from '../jobs/job-selection.js';
import { JobsController } from '../jobs/jobs.controller.js';
import { JobsService } from '../jobs/jobs.service.js';
import { LeaderWork } from '../leader/leader-work.js';
import { RunLog } from '../leader/run-log.js';
import { LeaseService } from '../lease/lease.service.js';
import { AdvisoryReconcileJob } from '../maintenance/advisory-reconcile.job.js';
import { AutoDisableJob } from '../maintenance/auto-disable.job.js';
import { RetentionJob } from '../maintenance/retention.job.js';
import { StuckRepairJob } from '../maintenance/stuck-repair.job.js';
import { AuditTrail } from '../messaging/audit.js';
import { Bus } from '../messaging/bus.js';
import { StreamSetup } from '../messaging/stream-setup.js';
import { TaskPublisher } from '../messaging/task-publisher.js';
import { ProjectionStatus } from '../projections/projection-status.js';
import { HealthChecks } from './health-checks.js';

@Global()
@Module({})
class SettingsModule {
  static register(settings: SchedulerSettings): DynamicModule {
    return {
      module: SettingsModule,
      providers: [{ provide: SchedulerSettings, useValue: settings }],
      exports: [SchedulerSettings],
    };
  }
}

/** The scheduler: job routes on every replica, leader-only work behind the lease. */
@Module({})
export class AppModule {
  static register(settings: SchedulerSettings): DynamicModule {
    const auth: AuthOptions = { adminToken: settings.adminToken };
    return {
      module: AppModule,
      imports: [
        SettingsModule.register(settings),
        JetStreamModule.forRootAsync({
          useFactory: () => ({
            servers: settings.env.NATS_URL,
            name: 'scheduler',
            prefix: settings.env.STREAM_PREFIX,
            replicas: settings.env.NATS_REPLICAS,
            streamOptions: streamRetentionOf(settings.env),
          }),
        }),
        DatabaseModule,
        HealthModule,
        MetricsModule,
      ],
      controllers: [JobsController],
      providers: [
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: API_KEY_LOOKUP, useClass: ProjectedApiKeys },
        { provide: AUTH_OPTIONS, useValue: auth },
        HealthChecks,
        Bus,
        AuditTrail,
        TaskPublisher,
        StreamSetup,
        EventSource,
        EndpointDirectory,
        JobsService,
        JobSelection,
        JobExecutor,
        LeaseService,
        RunLog,
        ProjectionStatus,
        AutoDisableJob,
        RetentionJob,
        StuckRepairJob,
        AdvisoryReconcileJob,
        LeaderWork,
      ],
    };
  }
}
