import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JetStreamModule } from '@codeplanet/jetstream';
import {
  API_KEY_LOOKUP,
  AUTH_OPTIONS,
  BearerAuthGuard,
  HealthModule,
  MetricsModule,
  adminTokenOf,
  streamRetentionOf,
  type AuthOptions,
} from '@codeplanet/service-kit';
import { InsightsController } from './api/admin.controller.js';
import { DeliveriesController } from './api/deliveries.controller.js';
import { CatalogRepository } from './api/repositories/catalog.repository.js';
import { DeliveriesRepository } from './api/repositories/deliveries.repository.js';
import { StatsRepository } from './api/repositories/stats.repository.js';
import { TrailRepository } from './api/repositories/trail.repository.js';
import { RetryService } from './api/retry.service.js';
import { AUDIT_ENV, type AuditEnv } from './config/audit-env.js';
import {
  auditDataSourceOptions,
  initializeAuditDataSource,
  prepareDatabase,
} from './database/data-source.js';
import { HealthChecks } from './health.checks.js';
import { LiveTail } from './live/live-tail.js';
import { StreamController } from './live/stream.controller.js';
import { ProjectionService } from './projection/projection.service.js';

export const APP_NAME = 'audit-log';

@Module({})
export class AppModule {
  static forRoot(env: AuditEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: async () => {
            await prepareDatabase(env.DATABASE_URL);
            return { ...auditDataSourceOptions(env.DATABASE_URL), retryAttempts: 3, retryDelay: 1_000 };
          },
          dataSourceFactory: (options) => initializeAuditDataSource(options!, env.DATABASE_URL),
        }),
        JetStreamModule.forRootAsync({
          useFactory: () => ({
            servers: env.NATS_URL,
            name: APP_NAME,
            prefix: env.STREAM_PREFIX,
            replicas: env.NATS_REPLICAS,
            streamOptions: streamRetentionOf(env),
          }),
        }),
        HealthModule,
        MetricsModule,
      ],
      controllers: [DeliveriesController, InsightsController, StreamController],
      providers: [
        { provide: AUDIT_ENV, useValue: env },
        { provide: AUTH_OPTIONS, useValue: { adminToken: adminTokenOf(env) } satisfies AuthOptions },
        { provide: API_KEY_LOOKUP, useExisting: CatalogRepository },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        CatalogRepository,
        DeliveriesRepository,
        StatsRepository,
        TrailRepository,
        RetryService,
        LiveTail,
        ProjectionService,
        HealthChecks,
      ],
    };
  }
}
