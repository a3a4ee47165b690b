import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JETSTREAM, type JetStreamContext } from '@codeplanet/jetstream';
import { parseDurationMs } from '@codeplanet/service-kit';
import { AUDIT_ENV, projectionsEnabled, type AuditEnv } from '../config/audit-env.js';
import { LiveTail } from '../live/live-tail.js';
import { RetentionPurger } from '../retention/retention-purger.js';
import { Projections } from './projections.js';

const LAG_REFRESH_MS = 5_000;

/** Runs the projections inside the app: consumers at boot, runners until shutdown, lag gauges. */
@Injectable()
export class ProjectionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private projections: Projections | undefined;
  private purger: RetentionPurger | undefined;
  private lagTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(AUDIT_ENV) private readonly env: AuditEnv,
    @Inject(JETSTREAM) private readonly jetstream: JetStreamContext,
    private readonly dataSource: DataSource,
    private readonly live: LiveTail,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!projectionsEnabled(this.env)) {
      this.logger.log('PROJECTIONS_ENABLED=false: serving the API only');
      return;
    }
    const { js, jsm, topology } = this.jetstream;
    const projections = new Projections({
      dataSource: this.dataSource,
      js,
      jsm,
      topology,
      batchSize: this.env.PROJECTION_BATCH_SIZE,
      lingerMs: parseDurationMs(this.env.PROJECTION_LINGER) ?? 0,
      logger: (context) => new Logger(context),
      onCommit: (changes) => this.live.publish(changes),
      hasLiveListeners: () => this.live.subscribers > 0,
      onPurgeRequested: () => this.purger?.kick(),
    });
    this.purger = new RetentionPurger({
      dataSource: this.dataSource,
      batchSize: this.env.RETENTION_PURGE_BATCH_SIZE,
      logger: new Logger('Retention'),
      projectionsApplied: (stopped) => projections.waitUntilApplied(stopped),
    });
    await projections.ensureConsumers();
    projections.start();
    this.projections = projections;
    this.purger.kick(); // requests left open by a crash or a shutdown mid-purge
    this.jetstream.beforeDrain(() => this.stop());
    this.lagTimer = setInterval(() => void this.refreshLag(), LAG_REFRESH_MS);
    this.lagTimer.unref();
    this.logger.log(`projecting ${topology.prefix ? `${topology.prefix}_*` : 'all'} streams`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private async stop(): Promise<void> {
    clearInterval(this.lagTimer);
    const projections = this.projections;
    const purger = this.purger;
    this.projections = undefined;
    this.purger = undefined;
    await Promise.all([projections?.stop(), purger?.stop()]);
  }

  private async refreshLag(): Promise<void> {
    try {
      await this.projections?.progress();
    } catch {
      // NATS or Postgres unreachable: the gauges keep their last value, /health reports the link.
    }
  }
}
