import { preparedQuery } from '@codeplanet/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { ConsumerMessages } from '@nats-io/jetstream';
import { PULL_EXPIRES_MS, type JetStreamClient, type JsMsg, type LogSink } from '@codeplanet/jetstream';
import { advance, isApplied, parseMissing, type Checkpoint } from './checkpoint.js';
import { projectionMetrics } from './metrics.js';
import type { ApplyResult, LiveChange, RawFact, StreamProjector } from './projector.js';
import { parseJson } from './reducers/decode.js';

export interface BatchRunnerOptions {
  dataSource: DataSource;
  js: JetStreamClient;
  /** JetStream stream name (with prefix) and durable consumer name. */
  streamName: string;
  consumerName: string;
  projector: StreamProjector;
  batchSize: number;
  /**
   * Most message bytes in one batch (default `DEFAULT_BATCH_BYTES`; a single larger message is a batch of its own).
   * Keeps a transaction's size, and the memory it takes, bounded when messages carry many facts each (the
   * worker's OUTCOMES batches): the message count alone would let a batch grow 64-fold.
   */
  batchBytes?: number;
  /**
   * How long a batch smaller than `batchSize` waits for more messages before it is applied (default 0: at once).
   * Under load the wait turns many small transactions into a few large ones.
   */
  lingerMs?: number;
  logger: LogSink;
  /** Called with the batch's changes after it committed (the live tail). */
  onCommit?: (changes: LiveChange[]) => void;
  /**
   * Whether `onCommit` has anyone to tell now (default: always). A batch that starts without listeners returns no
   * rows from its statements; if a listener came while it ran, its changes are read back after the commit.
   */
  hasLiveListeners?: () => boolean;
  /** Called after a batch that recorded a retention purge request committed (the purger runs it). */
  onPurgeRequested?: () => void;
}

const RETRY_DELAYS_MS = [100, 250, 500, 1_000, 2_000, 5_000];
/** About what 500 single-fact OUTCOMES messages weigh. */
export const DEFAULT_BATCH_BYTES = 512 * 1024;
/** While a batch cannot commit, the messages in hand are kept alive well inside ack_wait. */
const KEEP_ALIVE_MS = 10_000;

/**
 * One stream's projection loop. Messages arrive through `consume()` into a buffer; whatever is buffered (up to
 * `batchSize` messages and `batchBytes` bytes) is applied in ONE transaction together with the checkpoint, then
 * acked. Under load batches grow by themselves; when idle a single message is applied at once.
 *
 * When Postgres is down the batch stays in hand (acks stop, `working()` holds the messages) and is retried with a
 * backoff until it commits: deliveries never wait for us, we just catch up later.
 */
export class BatchRunner {
  private buffer: JsMsg[] = [];
  private bufferBytes = 0;
  private wake: (() => void) | undefined;
  private lingering = false;
  private stopping = false;
  private messages: ConsumerMessages | undefined;
  private running: Promise<void> | undefined;
  private signalStop!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.signalStop = resolve));

  constructor(private readonly options: BatchRunnerOptions) {}

  get stream(): string {
    return this.options.streamName;
  }

  start(): void {
    this.running ??= Promise.all([this.pullLoop(), this.applyLoop()]).then(() => undefined);
  }

  /** Stops pulling, finishes the batch in hand, hands buffered messages back to the server. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.signalStop();
    this.wake?.();
    await this.messages?.close().catch(() => undefined);
    await this.running;
    this.bufferBytes = 0;
    for (const msg of this.buffer.splice(0)) msg.nak();
  }

  private async pullLoop(): Promise<void> {
    const { js, streamName, consumerName, batchSize, logger } = this.options;
    let failures = 0;
    while (!this.stopping) {
      try {
        const consumer = await js.consumers.get(streamName, consumerName);
        const messages = await consumer.consume({
          max_messages: batchSize * 2,
          expires: PULL_EXPIRES_MS,
          callback: (msg) => this.receive(msg),
        });
        this.messages = messages;
        if (this.stopping) await messages.close();
        void this.closeWhenConsumerGone(messages);
        const closed = await messages.closed();
        if (closed instanceof Error && !this.stopping) logger.warn(`consume ended: ${closed.message}`);
        failures = 0;
      } catch (err) {
        if (this.stopping) break;
        if (failures % 10 === 0) logger.warn(`cannot consume ${streamName}/${consumerName}: ${message(err)}`);
        failures++;
      }
      if (!this.stopping) await this.sleep(RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)]!);
    }
  }

  /**
   * The client only notices a deleted consumer through missed heartbeats (tens of seconds); a rebuild deletes and
   * recreates ours, so resubscribe as soon as the server says so.
   */
  private async closeWhenConsumerGone(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const status of messages.status()) {
        if (status.type === 'consumer_deleted' || status.type === 'consumer_not_found') {
          await messages.close();
          return;
        }
      }
    } catch {
      // the iterator ends with the subscription
    }
  }

  private receive(msg: JsMsg): void {
    this.buffer.push(msg);
    this.bufferBytes += msg.data.length;
    if (!this.lingering || this.batchIsFull()) this.wake?.();
  }

  private get batchBytes(): number {
    return this.options.batchBytes ?? DEFAULT_BATCH_BYTES;
  }

  private batchIsFull(): boolean {
    return this.buffer.length >= this.options.batchSize || this.bufferBytes >= this.batchBytes;
  }

  /** The next batch: up to `batchSize` messages and `batchBytes` bytes (at least one message). */
  private takeBatch(): JsMsg[] {
    let count = 0;
    let bytes = 0;
    while (count < this.buffer.length && count < this.options.batchSize) {
      const size = this.buffer[count]!.data.length;
      if (count > 0 && bytes + size > this.batchBytes) break;
      bytes += size;
      count++;
    }
    this.bufferBytes -= bytes;
    return this.buffer.splice(0, count);
  }

  private async applyLoop(): Promise<void> {
    while (!this.stopping) {
      if (this.buffer.length === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      await this.linger();
      const batch = this.takeBatch();
      await this.processBatch(batch);
    }
  }

  /** Waits up to `lingerMs` for the buffer to fill a batch (woken early when it does, or on stop). */
  private async linger(): Promise<void> {
    const lingerMs = this.options.lingerMs ?? 0;
    if (lingerMs <= 0 || this.batchIsFull()) return;
    this.lingering = true;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      timer = setTimeout(resolve, lingerMs);
    });
    clearTimeout(timer);
    this.wake = undefined;
    this.lingering = false;
  }

  /** Applies one batch, retrying until it commits; if the runner stops first, the batch goes back (nak). */
  async processBatch(batch: JsMsg[]): Promise<boolean> {
    const { streamName: stream, logger } = this.options;
    let failures = 0;
    let lastKeepAlive = Date.now();
    for (;;) {
      const started = process.hrtime.bigint();
      try {
        const applied = await this.applyOnce(batch);
        projectionMetrics.applySeconds.observe({ stream }, Number(process.hrtime.bigint() - started) / 1e9);
        projectionMetrics.batchSize.observe({ stream }, batch.length);
        for (const msg of batch) msg.ack();
        await this.announce(applied);
        if (applied.purgeRequested) this.options.onPurgeRequested?.();
        return true;
      } catch (err) {
        projectionMetrics.failures.inc({ stream });
        if (failures === 0 || failures % 20 === 0)
          logger.error(`batch of ${batch.length} failed: ${message(err)}`);
        failures++;
        if (this.stopping) {
          for (const msg of batch) msg.nak();
          return false;
        }
        if (Date.now() - lastKeepAlive > KEEP_ALIVE_MS) {
          for (const msg of [...batch, ...this.buffer]) msg.working();
          lastKeepAlive = Date.now();
        }
        await this.sleep(RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)]!);
      }
    }
  }

  private async applyOnce(batch: readonly JsMsg[]): Promise<Applied> {
    const { dataSource, streamName: stream, projector } = this.options;
    const liveChanges = this.hasLiveListeners();
    return dataSource.transaction(async (tx) => {
      const checkpoint = await lockCheckpoint(tx, stream);
      const fresh = uniqueBySeq(batch).filter((msg) => !isApplied(checkpoint, msg.seq));
      const skipped = batch.length - fresh.length;
      if (skipped > 0) projectionMetrics.messages.inc({ stream, result: 'skipped' }, skipped);
      if (fresh.length === 0) return { changes: [] };
      const facts: RawFact[] = fresh.map((msg) => ({
        seq: msg.seq,
        subject: msg.subject,
        value: parseJson(msg.data),
      }));
      const result = await projector.apply(tx, facts, { liveChanges });
      const next = advance(
        checkpoint,
        fresh.map((msg) => msg.seq),
      );
      await preparedQuery(
        tx,
        'audit_checkpoint_update',
        `UPDATE audit.checkpoints SET last_seq = $2, missing = $3::jsonb, updated_at = now() WHERE stream = $1`,
        [stream, next.lastSeq, JSON.stringify(next.missing)],
      );
      projectionMetrics.messages.inc({ stream, result: 'applied' }, fresh.length - result.invalid);
      if (result.invalid > 0) projectionMetrics.messages.inc({ stream, result: 'invalid' }, result.invalid);
      projectionMetrics.checkpoint.set({ stream }, next.lastSeq);
      return result;
    });
  }

  private hasLiveListeners(): boolean {
    const { onCommit, hasLiveListeners } = this.options;
    return onCommit !== undefined && (hasLiveListeners?.() ?? true);
  }

  /** Never throws: the batch is committed and acked, the live tail is best effort from here. */
  private async announce(applied: Applied): Promise<void> {
    const { onCommit, dataSource, logger } = this.options;
    if (!onCommit) return;
    try {
      const changes =
        applied.readChanges && this.hasLiveListeners()
          ? await applied.readChanges(dataSource.manager)
          : applied.changes;
      if (changes.length > 0) onCommit(changes);
    } catch (err) {
      logger.warn(`live tail failed: ${message(err)}`);
    }
  }

  /** Resolves after `ms`, or at once when the runner stops. */
  private async sleep(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), this.stopped]);
    clearTimeout(timer);
  }
}

/**
 * Reads and locks the stream's checkpoint row for the batch's transaction: replicas sharing the consumer apply
 * their batches one after the other. The row exists after the stream's first batch, so normally this is one
 * statement; only the first batch (or the first after a rebuild truncated the table) creates it.
 */
async function lockCheckpoint(tx: EntityManager, stream: string): Promise<Checkpoint> {
  const select = `SELECT last_seq, missing FROM audit.checkpoints WHERE stream = $1 FOR UPDATE`;
  let [row] = await preparedQuery<CheckpointRow>(tx, 'audit_checkpoint_lock', select, [stream]);
  if (!row) {
    await tx.query(
      `INSERT INTO audit.checkpoints (stream, last_seq, missing) VALUES ($1, 0, '[]') ON CONFLICT DO NOTHING`,
      [stream],
    );
    [row] = await preparedQuery<CheckpointRow>(tx, 'audit_checkpoint_lock', select, [stream]);
  }
  return { lastSeq: Number(row?.last_seq ?? 0), missing: parseMissing(row?.missing) };
}

interface CheckpointRow {
  last_seq: string;
  missing: unknown;
}

type Applied = Pick<ApplyResult, 'changes' | 'purgeRequested' | 'readChanges'>;

/** A message redelivered while its first copy still waits in the buffer appears twice: apply it once. */
function uniqueBySeq(batch: readonly JsMsg[]): JsMsg[] {
  const bySeq = new Map<number, JsMsg>();
  for (const msg of batch) bySeq.set(msg.seq, msg);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
