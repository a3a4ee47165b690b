import type { DataSource } from 'typeorm';
import type { JetStreamClient, JetStreamManager, LogSink } from '@codeplanet/jetstream';
import type { Topology } from '@codeplanet/event-schemas';
import { BatchRunner } from './batch-runner.js';
import { consumerName, ensureProjectionConsumer } from './consumers.js';
import { projectionMetrics } from './metrics.js';
import {
  PROJECTED_STREAMS,
  type LiveChange,
  type ProjectedStream,
  type StreamProjector,
} from './projector.js';
import { AuditProjector } from './projectors/audit.projector.js';
import { AccountsProjector, EndpointsProjector, EventsProjector } from './projectors/catalog.projectors.js';
import { OutcomesProjector } from './projectors/outcomes.projector.js';

export interface ProjectionsOptions {
  dataSource: DataSource;
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  batchSize: number;
  /** See `BatchRunnerOptions.lingerMs`. Default 0 (the rebuild command applies at once). */
  lingerMs?: number;
  logger: (context: string) => LogSink;
  onCommit?: (changes: LiveChange[]) => void;
  /** Whether `onCommit` has anyone to tell now (see BatchRunnerOptions). */
  hasLiveListeners?: () => boolean;
  /** After a batch that recorded a retention purge request committed. */
  onPurgeRequested?: () => void;
}

const HIGH_VOLUME: ReadonlySet<ProjectedStream> = new Set(['events', 'outcomes']);

export function createProjectors(): StreamProjector[] {
  return [
    new AccountsProjector(),
    new EndpointsProjector(),
    new EventsProjector(),
    new OutcomesProjector(),
    new AuditProjector(),
  ];
}

export interface StreamProgress {
  stream: string;
  lastSeq: number;
  checkpoint: number;
  lag: number;
}

/** Every projection of the app: consumers, runners, lag. Used by the Nest service and the rebuild command. */
export class Projections {
  private runners: BatchRunner[] = [];

  constructor(private readonly options: ProjectionsOptions) {}

  async ensureConsumers(): Promise<void> {
    const { jsm, topology, batchSize } = this.options;
    for (const stream of PROJECTED_STREAMS) await ensureProjectionConsumer(jsm, topology, stream, batchSize);
  }

  start(): void {
    const {
      dataSource,
      js,
      topology,
      batchSize,
      lingerMs,
      logger,
      onCommit,
      hasLiveListeners,
      onPurgeRequested,
    } = this.options;
    this.runners = createProjectors().map((projector) => {
      const streamName = topology.stream(projector.stream);
      return new BatchRunner({
        dataSource,
        js,
        streamName,
        consumerName: consumerName(projector.stream),
        projector,
        batchSize,
        // Only the streams with one fact per event or attempt: a new key or endpoint applies at once.
        ...(lingerMs && HIGH_VOLUME.has(projector.stream) ? { lingerMs } : {}),
        logger: logger(`Projection ${streamName}`),
        ...(onCommit ? { onCommit } : {}),
        ...(hasLiveListeners ? { hasLiveListeners } : {}),
        ...(onPurgeRequested ? { onPurgeRequested } : {}),
      });
    });
    for (const runner of this.runners) runner.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
    this.runners = [];
  }

  /** Stream last sequence vs. checkpoint, per stream; also sets the lag gauges. */
  async progress(): Promise<StreamProgress[]> {
    const { dataSource, jsm, topology } = this.options;
    const stored = await dataSource.query<Array<{ stream: string; last_seq: string }>>(
      `SELECT stream, last_seq FROM audit.checkpoints`,
    );
    const checkpoints = new Map(stored.map((row) => [row.stream, Number(row.last_seq)]));
    return Promise.all(
      PROJECTED_STREAMS.map(async (key) => {
        const stream = topology.stream(key);
        const info = await jsm.streams.info(stream);
        const checkpoint = checkpoints.get(stream) ?? 0;
        const lag = Math.max(0, info.state.last_seq - checkpoint);
        projectionMetrics.lag.set({ stream }, lag);
        return { stream, lastSeq: info.state.last_seq, checkpoint, lag };
      }),
    );
  }

  /**
   * Resolves once every projection has applied what its stream held when this was called (or when `stopped()`
   * turns true). Work that must come after the facts published before it (a retention purge) waits here, so a
   * projection that lags (after an outage, during a rebuild) cannot bring old rows back behind the purge.
   */
  async waitUntilApplied(stopped: () => boolean, pollMs = 500): Promise<void> {
    const { dataSource, jsm, topology } = this.options;
    const heads = await Promise.all(
      PROJECTED_STREAMS.map(async (key) => {
        const stream = topology.stream(key);
        return { stream, seq: (await jsm.streams.info(stream)).state.last_seq };
      }),
    );
    while (!stopped()) {
      const stored = await dataSource.query<Array<{ stream: string; last_seq: string }>>(
        `SELECT stream, last_seq FROM audit.checkpoints`,
      );
      const applied = new Map(stored.map((row) => [row.stream, Number(row.last_seq)]));
      if (heads.every((head) => (applied.get(head.stream) ?? 0) >= head.seq)) return;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** True when every consumer has nothing left to deliver and nothing unacked. */
  async caughtUp(): Promise<boolean> {
    const { jsm, topology } = this.options;
    const infos = await Promise.all(
      PROJECTED_STREAMS.map((key) => jsm.consumers.info(topology.stream(key), consumerName(key))),
    );
    return infos.every((info) => info.num_pending === 0 && info.num_ack_pending === 0);
  }
}
