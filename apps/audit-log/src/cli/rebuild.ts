import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { createTopology } from '@codeplanet/event-schemas';
import { connectNats, provisionStreams } from '@codeplanet/jetstream';
import { ConfigError, loadConfig, streamRetentionOf } from '@codeplanet/service-kit';
import { AuditEnv } from '../config/audit-env.js';
import { openAuditDataSource } from '../database/data-source.js';
import { rebuildProjections } from '../projection/rebuild.js';

/**
 * `node dist/cli/rebuild.js` (or `pnpm --filter @codeplanet/audit-log rebuild`): drop and rebuild every audit-log
 * projection from the streams. Same env as the app (DATABASE_URL, NATS_URL, STREAM_PREFIX, ...).
 */
async function main(): Promise<void> {
  const env = loadConfig(AuditEnv);
  const logger = new Logger('audit-log rebuild');
  const dataSource = await openAuditDataSource(env.DATABASE_URL);
  const nc = await connectNats({ servers: env.NATS_URL, name: 'audit-log-rebuild', logger });
  try {
    const topology = createTopology(env.STREAM_PREFIX);
    const jsm = await jetstreamManager(nc);
    await provisionStreams(jsm, topology, { replicas: env.NATS_REPLICAS, ...streamRetentionOf(env) });
    const result = await rebuildProjections({
      dataSource,
      js: jetstream(nc),
      jsm,
      topology,
      batchSize: env.PROJECTION_BATCH_SIZE,
      purgeBatchSize: env.RETENTION_PURGE_BATCH_SIZE,
      logger: (context) => new Logger(context),
    });
    for (const s of result.streams)
      logger.log(`${s.stream}: replayed to sequence ${s.checkpoint} of ${s.lastSeq}`);
    logger.log(
      `rows: ${Object.entries(result.rows)
        .map(([table, n]) => `${table}=${n}`)
        .join(' ')}`,
    );
    logger.log(`rebuilt in ${result.durationMs} ms`);
  } finally {
    await nc.drain();
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`audit-log rebuild failed: ${message}\n`);
  process.exit(1);
});
