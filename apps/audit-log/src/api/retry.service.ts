import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JETSTREAM, publishJson, type JetStreamContext } from '@codeplanet/jetstream';
import { newId, type AuditFact, type DeliveryTask, type EventEnvelope } from '@codeplanet/event-schemas';
import { ApiError, NotFoundError, actorOf, type Principal } from '@codeplanet/service-kit';
import { LiveTail } from '../live/live-tail.js';
import { upsertDeliveries } from '../projection/projectors/deliveries.sql.js';
import { RETRY_ACTION, reduceAuditFact } from '../projection/reducers/audit-reducer.js';
import { toDeliveryView, type DeliveryView } from '../views/views.js';
import { CatalogRepository } from './repositories/catalog.repository.js';
import { DeliveriesRepository } from './repositories/deliveries.repository.js';
import { scopeOf } from './scope.js';

export interface RetryAccepted {
  delivery_id: string;
  job_id: string;
  status: 'pending';
}

/**
 * `POST /v1/deliveries/:id/retry`: a fresh ladder for one delivery. The task goes to DELIVERIES (first attempt
 * at once, same delivery id, cause `manual_retry`), an audit fact records who asked, and the row turns pending
 * through the same rule the AUDIT projector applies, so a rebuild ends in the same state.
 */
@Injectable()
export class RetryService {
  private readonly logger = new Logger('Retry');

  constructor(
    @Inject(JETSTREAM) private readonly jetstream: JetStreamContext,
    private readonly dataSource: DataSource,
    private readonly deliveries: DeliveriesRepository,
    private readonly catalog: CatalogRepository,
    private readonly live: LiveTail,
  ) {}

  async retry(principal: Principal, deliveryId: string, requestId: string | null): Promise<RetryAccepted> {
    const scope = scopeOf(principal);
    const delivery = await this.deliveries.find(scope, deliveryId);
    if (!delivery) throw new NotFoundError('delivery');
    if (delivery.status === 'pending') {
      throw new ApiError(
        409,
        'delivery_pending',
        'this delivery is still pending: its next attempt is scheduled',
      );
    }
    const endpoint = await this.catalog.endpoint(scope, delivery.endpoint_id);
    if (endpoint?.deleted_at)
      throw new ApiError(409, 'endpoint_deleted', 'the endpoint of this delivery was deleted');
    if (endpoint?.enabled === false) {
      throw new ApiError(409, 'endpoint_disabled', 'the endpoint is disabled; enable it before retrying');
    }
    const event = await this.catalog.event(scope, delivery.event_id);
    if (!event)
      throw new ApiError(409, 'event_unavailable', 'the event of this delivery is no longer stored');

    const jobId = newId('job');
    const { js, topology } = this.jetstream;
    const task: DeliveryTask = {
      delivery_id: delivery.id,
      endpoint_id: delivery.endpoint_id,
      account_id: delivery.account_id,
      event: event as unknown as EventEnvelope,
      first_attempt: 1,
      cause: { kind: 'manual_retry', job_id: jobId },
      enqueued_at: Date.now(),
    };
    const fact = this.auditFact(principal, delivery, jobId, requestId);
    try {
      await publishJson(js, topology.delivery(delivery.endpoint_id), task, {
        msgId: `${delivery.id}:manual:${jobId}`,
      });
      await publishJson(js, topology.audit(delivery.account_id), fact, { msgId: fact.id });
    } catch (err) {
      this.logger.error(`retry of ${delivery.id} not queued: ${String(err)}`);
      throw new ApiError(503, 'queue_unavailable', 'the retry could not be queued; try again');
    }
    await this.markPending(fact);
    return { delivery_id: delivery.id, job_id: jobId, status: 'pending' };
  }

  private auditFact(principal: Principal, delivery: DeliveryView, jobId: string, requestId: string | null) {
    const fact: AuditFact = {
      id: jobId,
      actor: actorOf(principal),
      action: RETRY_ACTION,
      account_id: delivery.account_id,
      target: { kind: 'delivery', id: delivery.id },
      request_id: requestId,
      occurred_at: new Date().toISOString(),
      details: {
        job_id: jobId,
        event_id: delivery.event_id,
        endpoint_id: delivery.endpoint_id,
        event_type: delivery.event_type,
      },
    };
    return fact;
  }

  /** Read-your-write: the AUDIT projector applies the same patch again later (a no-op by then). */
  private async markPending(fact: AuditFact): Promise<void> {
    const patches = reduceAuditFact(fact)?.deliveries ?? [];
    try {
      const rows = await upsertDeliveries(this.dataSource.manager, patches);
      this.live.publish(rows.map((row) => ({ kind: 'delivery' as const, row: toDeliveryView(row) })));
    } catch (err) {
      // The task is queued and the fact is on AUDIT: the projection will catch up.
      this.logger.warn(`retry queued but the row was not updated yet: ${String(err)}`);
    }
  }
}
