import {
  AckPolicy,
  DeliverPolicy,
  ApiCodes,
  ensureConsumer,
  isApiError,
  nanos,
  type ConsumerInfo,
  type JetStreamManager,
} from '@codeplanet/jetstream';
import type { Topology } from '@codeplanet/event-schemas';
import type { ProjectedStream } from './projector.js';

/** Durable consumer per projected stream, shared by every audit-log replica (and the rebuild command). */
export function consumerName(stream: ProjectedStream): string {
  return `audit-log-${stream}`;
}

export const ACK_WAIT_MS = 30_000;

/** In-flight messages per consumer: a few batches, so the next batch is already here when one commits. */
export function maxAckPending(batchSize: number): number {
  return batchSize * 4;
}

export async function ensureProjectionConsumer(
  jsm: JetStreamManager,
  topology: Topology,
  stream: ProjectedStream,
  batchSize: number,
): Promise<ConsumerInfo> {
  return ensureConsumer(jsm, topology.stream(stream), {
    durable_name: consumerName(stream),
    description: `audit-log projection of ${topology.stream(stream)}`,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(ACK_WAIT_MS),
    max_ack_pending: maxAckPending(batchSize),
    max_deliver: -1,
  });
}

/** For the rebuild: the next `ensureProjectionConsumer` starts again from sequence 1. */
export async function deleteProjectionConsumer(
  jsm: JetStreamManager,
  topology: Topology,
  stream: ProjectedStream,
): Promise<void> {
  try {
    await jsm.consumers.delete(topology.stream(stream), consumerName(stream));
  } catch (err) {
    if (!isApiError(err, ApiCodes.ConsumerNotFound)) throw err;
  }
}
