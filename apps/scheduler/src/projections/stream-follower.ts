import { Logger } from '@nestjs/common';
import { DeliverPolicy, PULL_EXPIRES_MS, type JetStreamClient, type JsMsg } from '@codeplanet/jetstream';
import { metrics, preparedQuery } from '@codeplanet/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { errorText, sleep } from '../leader/sleep.js';
import { batchesOf } from './batches.js';

/** One projection: the rows it writes for a batch of messages, in the transaction that moves its checkpoint. */
export interface Projection {
  /** Checkpoint key, e.g. `outcomes`. */
  readonly name: string;
  /** JetStream stream name. */
  readonly stream: string;
  /** How long a small batch waits for more messages (see `batchesOf`); 0 or absent: applied at once. */
  readonly lingerMs?: number;
  apply(manager: EntityManager, batch: JsMsg[]): Promise<void>;
}

export interface FollowOptions {
  js: JetStreamClient;
  db: DataSource;
  batchSize: number;
  signal: AbortSignal;
}

export async function readCheckpoint(db: DataSource | EntityManager, name: string): Promise<number> {
  const rows = await db.query<{ last_seq: string }[]>(
    `SELECT last_seq FROM scheduler.checkpoints WHERE stream = $1`,
    [name],
  );
  return rows[0] ? Number(rows[0].last_seq) : 0;
}

/**
 * Follows a stream with an ordered consumer from the stored checkpoint and applies it in batches: the rows and the
 * new checkpoint commit together, so a crash or a failover replays from the last committed message and the
 * projection stays exact. A batch ends when it is full, or when the client buffer is empty (after the projection's
 * linger time, if it has one).
 */
export async function followStream(projection: Projection, options: FollowOptions): Promise<void> {
  const logger = new Logger(`Projection ${projection.name}`);
  const { js, db, batchSize, signal } = options;
  let failures = 0;
  while (!signal.aborted) {
    try {
      const from = await readCheckpoint(db, projection.name);
      const consumer = await js.consumers.get(projection.stream, {
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: from + 1,
        inactive_threshold: 60_000,
      });
      const messages = await consumer.consume({ max_messages: batchSize * 2, expires: PULL_EXPIRES_MS });
      const close = (): void => void messages.close().catch(() => undefined);
      signal.addEventListener('abort', close, { once: true });
      // The term may have ended while the consumer was being created: the listener above would never fire.
      if (signal.aborted) close();
      try {
        for await (const batch of batchesOf(messages, batchSize, projection.lingerMs ?? 0)) {
          await applyBatch(projection, db, batch);
          failures = 0;
          if (signal.aborted) break;
        }
      } finally {
        signal.removeEventListener('abort', close);
        await messages.close().catch(() => undefined);
      }
    } catch (error) {
      if (signal.aborted) break;
      failures++;
      if (failures === 1 || failures % 20 === 0)
        logger.warn(`following ${projection.stream} failed: ${errorText(error)}`);
      await sleep(Math.min(250 * failures, 5_000), signal);
    }
  }
}

const applied = metrics.gauge(
  'scheduler_projection_last_seq',
  'Last stream sequence applied, per projection',
  ['projection'],
);

const CHECKPOINT_SQL = `INSERT INTO scheduler.checkpoints (stream, last_seq, updated_at) VALUES ($1, $2, now())
  ON CONFLICT (stream) DO UPDATE SET last_seq = excluded.last_seq, updated_at = now()`;

/** Applies one batch: the projection's rows and the checkpoint commit together. */
export async function applyBatch(projection: Projection, db: DataSource, batch: JsMsg[]): Promise<void> {
  const last = batch[batch.length - 1];
  if (!last) return;
  await db.transaction(async (manager) => {
    await projection.apply(manager, batch);
    await preparedQuery(manager, 'scheduler_checkpoint', CHECKPOINT_SQL, [projection.name, last.seq]);
  });
  applied.set({ projection: projection.name }, last.seq);
}

/** Parses a message as JSON, or null (logged by the caller) for a malformed one that must not block the stream. */
export function parseJson<T>(msg: JsMsg): T | null {
  try {
    return msg.json<T>();
  } catch {
    return null;
  }
}
