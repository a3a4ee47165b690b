import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { JETSTREAM, ensureStream, nanos, type JetStreamContext } from '@codeplanet/jetstream';
import { SchedulerSettings } from '../config/env.js';
import { advisoryStreamName, maxDeliveriesSubject } from './bus.js';

const DAY_MS = 86_400_000;

/**
 * Creates the one stream this app owns: it captures the RETRIES consumer's max-deliveries advisories (plain
 * core-NATS messages otherwise lost while no scheduler listens), so every advisory is reconciled even across a
 * failover. Also warns when OUTCOMES keeps attempts for a different time than RETENTION_DAYS.
 */
@Injectable()
export class StreamSetup implements OnModuleInit {
  private readonly logger = new Logger('Streams');

  constructor(
    @Inject(JETSTREAM) private readonly jetstream: JetStreamContext,
    private readonly settings: SchedulerSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    const { jsm, topology } = this.jetstream;
    await ensureStream(jsm, {
      name: advisoryStreamName(topology),
      subjects: [maxDeliveriesSubject(topology)],
      description: 'max-deliveries advisories of the RETRIES consumers, for the scheduler',
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      num_replicas: this.settings.env.NATS_REPLICAS,
      max_age: nanos(7 * DAY_MS),
      duplicate_window: nanos(120_000),
    });
    await this.checkRetention().catch((error: unknown) =>
      this.logger.warn(`retention check failed: ${String(error)}`),
    );
  }

  private async checkRetention(): Promise<void> {
    const info = await this.jetstream.jsm.streams.info(this.jetstream.topology.stream('outcomes'));
    const streamDays = info.config.max_age / 1e6 / DAY_MS;
    const days = this.settings.env.RETENTION_DAYS;
    if (streamDays > 0 && Math.abs(streamDays - days) > 0.01) {
      this.logger.warn(
        `OUTCOMES max_age is ${streamDays.toFixed(2)} days but RETENTION_DAYS is ${days}: ` +
          'attempts outlive (or predate) the retention the scheduler and audit-log apply',
      );
    }
  }
}
