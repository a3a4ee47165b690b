import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { errors } from '@nats-io/transport-node';
import { errorMessage } from './errors.js';
import { PULL_EXPIRES_MS } from './consumers.js';
import { defaultLogger, type LogSink } from './logger.js';
import { Slots } from './slots.js';
import { TrackedMsg } from './tracked-msg.js';
import { writeQueue } from './write-queue.js';

export interface RunPullConsumerOptions {
  js: JetStreamClient;
  stream: string;
  /** Durable consumer name; it must exist (see `ensureConsumer`). */
  consumer: string;
  /** Most messages handed to `handle` at once. */
  maxInHand: number;
  /**
   * Does the work and answers the server with `msg.ack()` / `msg.nak(ms)` / `msg.term()` (or `working()` for long
   * work). A rejection naks with `nakDelayMs` unless the handler already answered.
   */
  handle: (msg: JsMsg) => Promise<void>;
  /** Called for handler failures (with the message) and consume-loop failures (without). Default: log. */
  onError?: (err: unknown, msg?: JsMsg) => void;
  /** Delay passed to `nak()` when the handler throws. Default 1000 ms. */
  nakDelayMs?: number;
  /** Ack when the handler resolves without answering. Default false (the handler answers). */
  autoAck?: boolean;
  /** Messages requested per pull; the client buffer holds at most this many beyond those in hand. Default maxInHand. */
  prefetch?: number;
  logger?: LogSink;
}

export interface PullConsumerHandle {
  /** Stops pulling, waits for in-flight handlers and for their queued answers, resolves. Idempotent. */
  stop(): Promise<void>;
  /** Messages currently inside `handle`. */
  inHand(): number;
}

const RESTART_BACKOFF_MS = [250, 500, 1_000, 2_000, 5_000, 10_000];

/**
 * A pull loop over a durable consumer with bounded concurrency. It uses `consume()` (one pull request keeps the
 * pipeline full, no round trip per message) and only takes the next message from the client buffer when a slot
 * is free, so at most `maxInHand` handlers run and at most `prefetch` more messages wait in memory.
 * When the consume iterator ends (server gone, heartbeats lost, consumer deleted), it is recreated with a backoff.
 */
export function runPullConsumer(options: RunPullConsumerOptions): PullConsumerHandle {
  const { js, stream, consumer, handle } = options;
  const logger = options.logger ?? defaultLogger(`PullConsumer ${stream}/${consumer}`);
  const nakDelayMs = options.nakDelayMs ?? 1_000;
  const autoAck = options.autoAck ?? false;
  const prefetch = Math.max(1, options.prefetch ?? options.maxInHand);
  const slots = new Slots(options.maxInHand);
  const onError =
    options.onError ??
    ((err: unknown, msg?: JsMsg) => {
      if (!msg) {
        logger.error(errorMessage(err));
        return;
      }
      logger.error(
        `handler failed (${msg.subject} seq ${msg.seq} delivery ${msg.info.deliveryCount}): ${errorMessage(err)}`,
      );
    });

  let stopping = false;
  let current: ConsumerMessages | undefined;
  let wakeStop!: () => void;
  const stopSignal = new Promise<void>((resolve) => (wakeStop = resolve));

  const report = (err: unknown, msg?: JsMsg): void => {
    try {
      onError(err, msg);
    } catch {
      // an error reporter must never take the loop down
    }
  };

  const run = async (msg: TrackedMsg): Promise<void> => {
    try {
      await handle(msg);
      if (autoAck && !msg.replied) msg.ack();
    } catch (err) {
      if (!msg.replied) msg.nak(nakDelayMs);
      report(err, msg);
    } finally {
      slots.release();
    }
  };

  const consumeOnce = async (): Promise<boolean> => {
    const c = await Promise.race([js.consumers.get(stream, consumer), stopSignal]);
    if (!c || stopping) return false;
    const messages = await c.consume({ max_messages: prefetch, expires: PULL_EXPIRES_MS });
    current = messages;
    // A deleted consumer only stalls the pull until two heartbeats are missed; start over at once instead.
    void watchStatus(messages, logger, () => messages.stop());
    const it = messages[Symbol.asyncIterator]();
    let received = false;
    try {
      while (!stopping) {
        const wait = slots.acquire();
        if (wait) await wait;
        // stop() closes `messages`, which ends a pending next(); a message taken after stop() stays
        // unanswered and the server redelivers it after ack_wait.
        let next: IteratorResult<JsMsg> | undefined;
        try {
          next = stopping ? undefined : await it.next();
        } catch (err) {
          slots.release();
          throw err;
        }
        if (!next || next.done || stopping) {
          slots.release();
          break;
        }
        received = true;
        void run(new TrackedMsg(next.value));
      }
    } finally {
      current = undefined;
      // Ends the iterator even when we left while it was idle (close() is only processed while iterating).
      await it.return?.(undefined).catch(() => undefined);
      messages.stop();
    }
    return received;
  };

  const loop = async (): Promise<void> => {
    let failures = 0;
    while (!stopping) {
      try {
        const gotMessages = await consumeOnce();
        if (gotMessages) failures = 0;
        if (!stopping) logger.warn('consume iterator ended, resubscribing');
      } catch (err) {
        current = undefined;
        if (stopping) break;
        if (err instanceof errors.ClosedConnectionError || err instanceof errors.DrainingConnectionError) {
          logger.warn('connection closed or draining, consumer loop ended');
          break;
        }
        if (failures === 0 || failures % 10 === 0) report(new Error(`consume failed: ${errorMessage(err)}`));
      }
      if (stopping) break;
      const delay = RESTART_BACKOFF_MS[Math.min(failures, RESTART_BACKOFF_MS.length - 1)] ?? 10_000;
      failures++;
      await Promise.race([sleep(delay), stopSignal]);
    }
  };

  const loopDone = loop();
  let stopped: Promise<void> | undefined;

  return {
    inHand: () => slots.inUse,
    stop(): Promise<void> {
      stopped ??= (async () => {
        stopping = true;
        wakeStop();
        current?.stop();
        await loopDone;
        await slots.idle();
        await writeQueue.settled(); // the handlers' last answers have reached the client
      })();
      return stopped;
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function watchStatus(messages: ConsumerMessages, logger: LogSink, restart: () => void): Promise<void> {
  try {
    for await (const s of messages.status()) {
      if (s.type === 'heartbeats_missed' && (s.count === 2 || s.count % 10 === 0)) {
        logger.warn(`${s.count} heartbeats missed`);
      } else if (s.type === 'consumer_not_found' && (s.count === 1 || s.count % 10 === 0)) {
        logger.warn(`consumer not found (${s.count} checks)`);
      } else if (s.type === 'stream_not_found') {
        logger.warn(`stream ${s.name} not found`);
      } else if (s.type === 'consumer_deleted') {
        logger.warn(`consumer deleted (${s.description}), resubscribing`);
        restart();
      } else if (s.type === 'exceeded_limits') {
        logger.warn(`pull request exceeded limits: ${s.description}`);
      }
    }
  } catch {
    // the status stream ends with the iterator
  }
}
