import { AckPolicy, DeliverPolicy, nanos, type DurableConsumerConfig } from '@codeplanet/jetstream';
import type { WorkerSettings } from '../config/worker-env.js';

/** Durable consumer names, shared by every worker process (they split the messages between them). */
export const CONSUMERS = { fanout: 'fanout', firstAttempts: 'first-attempts', retries: 'retries' } as const;

/**
 * EVENTS → fan-out. A fan-out is a few concurrent publishes (milliseconds); 10 s is ample, and is how long an
 * event held by a crashed worker waits before another one takes it.
 */
export function fanoutConsumerConfig(): DurableConsumerConfig {
  return {
    durable_name: CONSUMERS.fanout,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(10_000),
    max_deliver: -1,
    max_ack_pending: 10_000,
  };
}

/**
 * DELIVERIES → first attempts. ack_wait outlasts an attempt (DELIVERY_TIMEOUT) so only a crash redelivers;
 * unlimited deliveries because deferrals (endpoint at its cap) are redeliveries too; max_ack_pending sized for
 * deferred tasks of slow endpoints, which hold a slot while they wait.
 */
export function firstAttemptConsumerConfig(settings: WorkerSettings): DurableConsumerConfig {
  return {
    durable_name: CONSUMERS.firstAttempts,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(settings.firstAttemptAckWaitMs),
    max_deliver: -1,
    max_ack_pending: settings.env.DELIVERIES_MAX_ACK_PENDING,
  };
}

/** RETRIES → the ladder: backoff = ladder, max_deliver = ladder + 1, max_ack_pending for many waiting tasks. */
export function retryConsumerConfig(settings: WorkerSettings): DurableConsumerConfig {
  return {
    durable_name: CONSUMERS.retries,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ...settings.policy.retryConsumerConfig(),
  };
}
