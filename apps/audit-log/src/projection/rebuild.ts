import type { DataSource } from 'typeorm';
import type { JetStreamClient, JetStreamManager, LogSink } from '@codeplanet/jetstream';
import type { Topology } from '@codeplanet/event-schemas';
import { PROJECTION_TABLES } from '../database/entities/index.js';
import { RetentionPurger, type PurgeRun } from '../retention/retention-purger.js';
import { deleteProjectionConsumer } from './consumers.js';
import { PROJECTED_STREAMS } from './projector.js';
import { Projections, type StreamProgress } from './projections.js';

export interface RebuildOptions {
  dataSource: DataSource;
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  batchSize: number;
  logger: (context: string) => LogSink;
  /** Give up waiting for the replay after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Rows per retention statement (`RETENTION_PURGE_BATCH_SIZE`, default 5000). */
  purgeBatchSize?: number;
}

export interface RebuildResult {
  streams: StreamProgress[];
  rows: Record<string, number>;
  /** The retention purge run again after the replay (empty when AUDIT holds no purge request). */
  purges: PurgeRun[];
  durationMs: number;
}

const POLL_MS = 200;

/**
 * Drops every projection and replays the streams from sequence 1: consumers deleted (a running audit-log stops
 * receiving), tables and checkpoints truncated, consumers recreated, then this process projects until every
 * consumer has nothing pending. Running replicas join in through the same consumers; the checkpoints keep their
 * writes exact. Rows exist again only for what the streams still hold (EVENTS and OUTCOMES have a max age).
 * The replay records the retention purge requests of AUDIT again; once it is done, the latest one is run again,
 * so whatever the replay brought back from before its cutoff is purged as it was before.
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildResult> {
  const started = Date.now();
  const log = options.logger('Rebuild');
  const { dataSource, jsm, topology } = options;
  for (const stream of PROJECTED_STREAMS) await deleteProjectionConsumer(jsm, topology, stream);
  await dataSource.query(`TRUNCATE ${PROJECTION_TABLES.map((t) => `audit.${t}`).join(', ')}`);
  log.log('projections truncated; replaying from sequence 1');

  const projections = new Projections(options);
  await projections.ensureConsumers();
  projections.start();
  try {
    await waitUntilCaughtUp(projections, options.timeoutMs ?? 600_000);
  } finally {
    await projections.stop();
  }
  const streams = await projections.progress();
  const purger = new RetentionPurger({
    dataSource,
    batchSize: options.purgeBatchSize ?? 5000,
    logger: options.logger('Retention'),
  });
  const purges = await purger.drain({ rerunLatest: true });
  return { streams, rows: await countRows(dataSource), purges, durationMs: Date.now() - started };
}

async function waitUntilCaughtUp(projections: Projections, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let confirmations = 0;
  // Two quiet polls in a row: acks are asynchronous, one reading can be a moment early.
  while (confirmations < 2) {
    if (Date.now() > deadline) throw new Error(`replay not finished after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    confirmations = (await projections.caughtUp()) ? confirmations + 1 : 0;
  }
}

async function countRows(dataSource: DataSource): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of PROJECTION_TABLES) {
    const [row] = await dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM audit.${table}`,
    );
    counts[table] = row?.n ?? 0;
  }
  return counts;
}
