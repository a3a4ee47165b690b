import type { JetStreamClient, JetStreamPublishOptions, PubAck } from '@nats-io/jetstream';
import { headers as createHeaders } from '@nats-io/transport-node';
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
  const data = encodeJson(payload);
  return writeQueue.enqueueAsync(() => js.publish(subject, data, opts));
}
