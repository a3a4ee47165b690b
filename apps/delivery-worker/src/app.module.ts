import { Module, type DynamicModule } from '@nestjs/common';
import { JetStreamModule } from '@codeplanet/jetstream';
import { HealthModule, MetricsModule, streamRetentionOf } from '@codeplanet/service-kit';
import type { WorkerSettings } from './config/worker-env.js';
import { DeliveryWorkerService } from './worker/delivery-worker.service.js';
import { WORKER_SETTINGS } from './worker/tokens.js';

/** The delivery-worker: NATS only (no database), plus /health and /metrics. */
@Module({})
export class AppModule {
  static forRoot(settings: WorkerSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        JetStreamModule.forRootAsync({
          useFactory: () => ({
            servers: settings.env.NATS_URL,
            name: 'delivery-worker',
            prefix: settings.env.STREAM_PREFIX,
            replicas: settings.env.NATS_REPLICAS,
            // Every app provisions the streams; all must agree on their max ages, or boots would flip them.
            streamOptions: streamRetentionOf(settings.env),
          }),
        }),
        HealthModule,
        MetricsModule,
      ],
      providers: [{ provide: WORKER_SETTINGS, useValue: settings }, DeliveryWorkerService],
    };
  }
}
