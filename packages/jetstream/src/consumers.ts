import { AckPolicy, type ConsumerConfig, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream';
import { ApiCodes, isApiError } from './errors.js';

export type DurableConsumerConfig = Partial<ConsumerConfig> & { durable_name: string };

/**
 * Creates a durable pull consumer, or brings an existing one to `config`. Idempotent and safe when several
 * processes boot at once: nats-server 2.9 treats a repeated add as an update, 2.10+ answers "consumer already
 * exists" when the config differs, which we turn into an update. Non-editable changes (deliver_policy, …) throw.
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: DurableConsumerConfig,
): Promise<ConsumerInfo> {
  const full: Partial<ConsumerConfig> = { ack_policy: AckPolicy.Explicit, ...config };
  try {
    return await jsm.consumers.add(stream, full);
  } catch (err) {
    if (
      !isApiError(err, ApiCodes.ConsumerAlreadyExists, ApiCodes.ConsumerNameInUse, ApiCodes.ConsumerExists)
    ) {
      throw err;
    }
  }
  const {
    durable_name: _durable,
    deliver_policy: _deliverPolicy,
    opt_start_seq: _startSeq,
    opt_start_time: _startTime,
    ack_policy: _ackPolicy,
    replay_policy: _replayPolicy,
    ...editable
  } = full;
  return jsm.consumers.update(stream, config.durable_name, editable);
}

/**
 * How long one pull request lives (`expires` of `consume()`); the client expects a heartbeat every half of it.
 * nats.js defaults to 30 s, so a pull lost with a cluster node (the consumer's leader moved) is only noticed after
 * two missed 15 s heartbeats, and a failed re-check waits another 30 s. At 5 s a consumer is pulling from its new
 * leader within seconds of a node loss, for one small pull request per consumer every few seconds when idle.
 */
export const PULL_EXPIRES_MS = 5_000;
