import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
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
import { AccountsModule } from './accounts/accounts.module.js';
import { API_KEYS_REPOSITORY } from './api-keys/api-keys.repository.js';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { AuditModule } from './audit/audit.module.js';
import { CatalogController } from './catalog/catalog.controller.js';
import { HealthChecks } from './common/health-checks.js';
import { RATE_LIMIT_PER_MINUTE, RateLimitInterceptor } from './common/rate-limit.interceptor.js';
import { AppSettings } from './config/env.js';
import { SettingsModule } from './config/settings.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EndpointsModule } from './endpoints/endpoints.module.js';
import type { HostResolver } from './endpoints/url-policy/url-policy.js';
import { EventsModule } from './events/events.module.js';
import { MessagingModule } from './messaging/messaging.module.js';

export const APP_NAME = 'subscriptions-api';

export interface AppModuleOptions {
  /** Replaces the system DNS resolver of the URL rules (tests). */
  hostResolver?: HostResolver;
  /**
   * Serve the Swagger UI at /docs (default true). Tests turn it off: its static-file plugin loads an ESM-only
   * dependency through require(), which Jest's module loader cannot do; /docs/json is served either way.
   */
  docsUi?: boolean;
}

@Module({})
export class AppModule {
  static forRoot(settings: AppSettings, options: AppModuleOptions = {}): DynamicModule {
    const { env } = settings;
    return {
      module: AppModule,
      imports: [
        SettingsModule.forRoot(settings, options.hostResolver),
        JetStreamModule.forRootAsync({
          useFactory: () => ({
            servers: env.NATS_URL,
            name: APP_NAME,
            prefix: env.STREAM_PREFIX,
            replicas: env.NATS_REPLICAS,
            streamOptions: streamRetentionOf(env),
          }),
        }),
        DatabaseModule,
        MessagingModule,
        HealthModule,
        MetricsModule,
        AuditModule,
        AccountsModule,
        ApiKeysModule,
        EndpointsModule,
        EventsModule,
      ],
      controllers: [CatalogController],
      providers: [
        HealthChecks,
        { provide: API_KEY_LOOKUP, useExisting: API_KEYS_REPOSITORY },
        {
          provide: AUTH_OPTIONS,
          useValue: {
            adminToken: settings.adminToken,
            serviceTokens: settings.serviceTokens,
          } satisfies AuthOptions,
        },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: RATE_LIMIT_PER_MINUTE, useValue: env.RATE_LIMIT_PER_MINUTE },
        { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor },
      ],
    };
  }
}
