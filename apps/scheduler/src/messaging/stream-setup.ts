import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { JETSTREAM, ensureStream, nanos, type JetStreamContext } from '@codeplanet/jetstream';
import { DAY_MS, streamRetentionOf } from '@codeplanet/service-kit';
import { SchedulerSettings } from '../config/env.js';
import { advisoryStreamName, maxDeliveriesSubject } from './bus.js';

/**
 * Creates the one stream this app owns: it captures the RETRIES consumer's max-deliveries advisories (plain
 * core-NATS messages otherwise lost while no scheduler listens), so every advisory is reconciled even across a
 * failover. Also warns when EVENTS or OUTCOMES carry max ages other than this app's env gives.
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

  /**
   * Every app provisions EVENTS and OUTCOMES with the max ages of the shared env (`streamRetentionOf`). If another
   * app booted with different values the streams follow whoever booted last: say so.
   */
  private async checkRetention(): Promise<void> {
    const expected = streamRetentionOf(this.settings.env);
    const { jsm, topology } = this.jetstream;
    for (const [key, wantMs, variable] of [
      ['outcomes', expected.outcomesMaxAgeMs, `RETENTION_DAYS=${this.settings.env.RETENTION_DAYS}`],
      ['events', expected.eventsMaxAgeMs, `EVENTS_MAX_AGE=${this.settings.env.EVENTS_MAX_AGE}`],
    ] as const) {
      const info = await jsm.streams.info(topology.stream(key));
      const actualMs = info.config.max_age / 1e6;
      if (Math.abs(actualMs - wantMs) > 1_000) {
        this.logger.warn(
          `${topology.stream(key)} max_age is ${(actualMs / DAY_MS).toFixed(2)} days but ${variable}: ` +
            'another app runs with a different retention env',
        );
      }
    }
  }
}
