import { Injectable } from '@nestjs/common';
import type { DeliveryTask, EventEnvelope } from '@codeplanet/event-schemas';
import { metrics } from '@codeplanet/service-kit';
import { Bus } from './bus.js';

export type TaskCause = NonNullable<DeliveryTask['cause']>;

export interface TaskToQueue {
  deliveryId: string;
  endpointId: string;
  accountId: string;
  event: EventEnvelope;
  /** 1 for a fresh ladder; the due attempt when stuck work is re-queued. */
  firstAttempt: number;
  cause?: TaskCause;
  /** Dedupes the publish: the same task queued twice (a job re-run after a failover) is stored once. */
  msgId: string;
}

/** msgIDs of the tasks this app queues; the worker's own are `<event>:<endpoint>` (fan-out) and `<run>:retry`. */
export const taskMsgIds = {
  recover: (deliveryId: string, jobId: string): string => `${deliveryId}:recover:${jobId}`,
  replay: (eventId: string, endpointId: string, jobId: string): string => `${eventId}:${endpointId}:${jobId}`,
  repair: (deliveryId: string, attempt: number, repairs: number): string =>
    `${deliveryId}:repair:${attempt}:${repairs}`,
};

/** Puts tasks on DELIVERIES (`deliveries.<endpoint>`), where the worker makes first attempts. */
@Injectable()
export class TaskPublisher {
  private readonly queued = metrics.counter('scheduler_tasks_queued_total', 'Delivery tasks queued', [
    'cause',
  ]);

  constructor(private readonly bus: Bus) {}

  async queue(task: TaskToQueue): Promise<{ duplicate: boolean }> {
    const payload: DeliveryTask = {
      delivery_id: task.deliveryId,
      endpoint_id: task.endpointId,
      account_id: task.accountId,
      event: task.event,
      first_attempt: task.firstAttempt,
      ...(task.cause ? { cause: task.cause } : {}),
      enqueued_at: Date.now(),
    };
    const ack = await this.bus.publish(this.bus.topology.delivery(task.endpointId), payload, {
      msgId: task.msgId,
    });
    if (!ack.duplicate) this.queued.inc({ cause: task.cause?.kind ?? 'repair' });
    return { duplicate: ack.duplicate };
  }
}
