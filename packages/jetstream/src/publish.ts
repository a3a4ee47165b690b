import type { JetStreamClient, JetStreamPublishOptions, PubAck } from '@nats-io/jetstream';
import { headers as createHeaders, type NatsConnection } from '@nats-io/transport-node';
import { AckPublisher } from './ack-publisher.js';
import { writeQueue } from './write-queue.js';

export interface PublishJsonOptions {
  /** `Nats-Msg-Id`: a second publish with the same id inside the dedupe window is stored once (`duplicate: true`). */
  msgId?: string;
  /** Optimistic concurrency: the publish fails unless the subject's last sequence is this (0 = subject is empty). */
  expectLastSubjectSequence?: number;
  /** Extra message headers (e.g. `TARGET_ENDPOINT_HEADER`). */
  headers?: Record<string, string>;
  /** PubAck timeout in ms (client default otherwise). */
  timeoutMs?: number;
  /** Attempts when JetStream has no responder yet (e.g. right after a server restart). Default 1. */
  retries?: number;
}

const encoder = new TextEncoder();

export function encodeJson(payload: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(payload));
}

/**
 * Publishes `payload` as JSON and waits for the stream's acknowledgement. Rejects with a JetStream API error on a
 * failed expectation (use `isWrongLastSequence(err)` to detect a lost optimistic-concurrency race).
 *
 * The payload is encoded at once (later changes to it are not sent); the publish itself goes through the
 * `WriteQueue` and leaves with the acks and publishes of this event-loop turn, after those queued before it.
 */
export async function publishJson(
  js: JetStreamClient,
  subject: string,
  payload: unknown,
  options: PublishJsonOptions = {},
): Promise<PubAck> {
  const data = encodeJson(payload);
  const publisher = ackPublisherOf(js);
  if (publisher) return writeQueue.enqueueAsync(() => publisher.publish(subject, data, options));
  return writeQueue.enqueueAsync(() => js.publish(subject, data, clientOptions(options)));
}

const publishers = new WeakMap<JetStreamClient, AckPublisher | null>();

/**
 * The `AckPublisher` of the connection under `js`, made on first use. A client that is not nats.js's own (a test
 * double) has no connection to reach and publishes through its `publish()`.
 */
function ackPublisherOf(js: JetStreamClient): AckPublisher | null {
  let publisher = publishers.get(js);
  if (publisher === undefined) {
    const nc = (js as { nc?: unknown }).nc;
    publisher = isConnection(nc) ? new AckPublisher(nc, js.getOptions().timeout) : null;
    publishers.set(js, publisher);
  }
  return publisher;
}

function isConnection(value: unknown): value is NatsConnection {
  const nc = value as Partial<NatsConnection> | undefined;
  return typeof nc?.publish === 'function' && typeof nc.subscribe === 'function';
}

function clientOptions(options: PublishJsonOptions): Partial<JetStreamPublishOptions> {
  const opts: Partial<JetStreamPublishOptions> = {};
  if (options.msgId !== undefined) opts.msgID = options.msgId;
  if (options.expectLastSubjectSequence !== undefined) {
    opts.expect = { lastSubjectSequence: options.expectLastSubjectSequence };
  }
  if (options.timeoutMs !== undefined) opts.timeout = options.timeoutMs;
  if (options.retries !== undefined) opts.retries = options.retries;
  if (options.headers) {
    const h = createHeaders();
    for (const [key, value] of Object.entries(options.headers)) h.set(key, value);
    opts.headers = h;
  }
  return opts;
}
