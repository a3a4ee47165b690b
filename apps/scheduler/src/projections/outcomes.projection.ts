import { Logger } from '@nestjs/common';
import type { OutcomeFact } from '@codeplanet/event-schemas';
import type { JsMsg } from '@codeplanet/jetstream';
import type { EntityManager } from 'typeorm';
import {
  emptyFold,
  foldOutcome,
  idsOf,
  type DeliveryRow,
  type FoldState,
  type HealthRow,
} from './outcomes-fold.js';
import { parseJson, type Projection } from './stream-follower.js';

interface DeliveryRecord {
  id: string;
  endpoint_id: string;
  account_id: string;
  event_id: string;
  event_type: string;
  status: DeliveryRow['status'];
  attempts: number;
  created_at: Date;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  final_at: Date | null;
  source_stream: string | null;
  source_seq: string | null;
}

interface HealthRecord {
  endpoint_id: string;
  account_id: string;
  first_failure_at: Date | null;
  last_failure_at: Date | null;
  last_success_at: Date | null;
}

/**
 * OUTCOMES → `deliveries` (status, attempts, next attempt, where the body is), `endpoint_health` (failure streaks)
 * and the progress of job items. One read and one multi-row upsert per table per batch.
 */
export class OutcomesProjection implements Projection {
  readonly name = 'outcomes';
  private readonly logger = new Logger('Projection outcomes');

  constructor(readonly stream: string) {}

  async apply(manager: EntityManager, batch: JsMsg[]): Promise<void> {
    const facts: { fact: OutcomeFact; seq: number }[] = [];
    for (const msg of batch) {
      const fact = parseJson<OutcomeFact>(msg);
      if (fact && typeof fact.type === 'string') facts.push({ fact, seq: msg.seq });
      else this.logger.warn(`skipping malformed outcome at seq ${msg.seq}`);
    }
    const state = await this.load(
      manager,
      facts.map((f) => f.fact),
    );
    for (const { fact, seq } of facts) {
      try {
        foldOutcome(state, fact, seq);
      } catch (error) {
        this.logger.warn(`skipping outcome at seq ${seq}: ${String(error)}`);
      }
    }
    await this.write(manager, state);
  }

  private async load(manager: EntityManager, facts: OutcomeFact[]): Promise<FoldState> {
    const deliveryIds = new Set<string>();
    const endpointIds = new Set<string>();
    for (const fact of facts) {
      const ids = idsOf(fact);
      ids.deliveries.forEach((id) => deliveryIds.add(id));
      ids.endpoints.forEach((id) => endpointIds.add(id));
    }
    const state = emptyFold();
    if (deliveryIds.size > 0) {
      const rows = await manager.query<DeliveryRecord[]>(
        `SELECT * FROM scheduler.deliveries WHERE id = ANY($1)`,
        [[...deliveryIds]],
      );
      for (const r of rows) state.deliveries.set(r.id, toDelivery(r));
    }
    if (endpointIds.size > 0) {
      const rows = await manager.query<HealthRecord[]>(
        `SELECT * FROM scheduler.endpoint_health WHERE endpoint_id = ANY($1)`,
        [[...endpointIds]],
      );
      for (const r of rows) state.health.set(r.endpoint_id, toHealth(r));
    }
    return state;
  }

  private async write(manager: EntityManager, state: FoldState): Promise<void> {
    const deliveries = [...state.changedDeliveries]
      .map((id) => state.deliveries.get(id))
      .filter((r) => r !== undefined);
    if (deliveries.length > 0) {
      await manager.query(
        `INSERT INTO scheduler.deliveries (id, endpoint_id, account_id, event_id, event_type, status, attempts, created_at,
           last_attempt_at, next_attempt_at, final_at, source_stream, source_seq, updated_at)
         SELECT * , now() FROM jsonb_to_recordset($1::jsonb) AS r(id text, endpoint_id text, account_id text,
           event_id text, event_type text, status text, attempts int, created_at timestamptz,
           last_attempt_at timestamptz, next_attempt_at timestamptz, final_at timestamptz, source_stream text,
           source_seq bigint)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
           last_attempt_at = excluded.last_attempt_at, next_attempt_at = excluded.next_attempt_at,
           final_at = excluded.final_at, source_stream = excluded.source_stream, source_seq = excluded.source_seq,
           updated_at = now()`,
        [JSON.stringify(deliveries.map(deliveryRecord))],
      );
    }
    const health = [...state.changedHealth].map((id) => state.health.get(id)).filter((r) => r !== undefined);
    if (health.length > 0) {
      await manager.query(
        `INSERT INTO scheduler.endpoint_health (endpoint_id, account_id, first_failure_at, last_failure_at,
           last_success_at, updated_at)
         SELECT *, now() FROM jsonb_to_recordset($1::jsonb) AS r(endpoint_id text, account_id text,
           first_failure_at timestamptz, last_failure_at timestamptz, last_success_at timestamptz)
         ON CONFLICT (endpoint_id) DO UPDATE SET first_failure_at = excluded.first_failure_at,
           last_failure_at = excluded.last_failure_at, last_success_at = excluded.last_success_at, updated_at = now()`,
        [JSON.stringify(health.map(healthRecord))],
      );
    }
    if (state.finals.length > 0) {
      // Job progress: an item is done when its delivery, queued by the job, reaches a final state.
      await manager.query(
        `UPDATE scheduler.job_items i SET final_status = f.status, finished_at = f.at
         FROM jsonb_to_recordset($1::jsonb) AS f(delivery_id text, status text, at timestamptz)
         WHERE i.delivery_id = f.delivery_id AND i.queued_at IS NOT NULL AND i.finished_at IS NULL`,
        [
          JSON.stringify(
            state.finals.map((f) => ({ delivery_id: f.deliveryId, status: f.status, at: f.at })),
          ),
        ],
      );
    }
  }
}

function toDelivery(r: DeliveryRecord): DeliveryRow {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    accountId: r.account_id,
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts,
    createdAt: r.created_at,
    lastAttemptAt: r.last_attempt_at,
    nextAttemptAt: r.next_attempt_at,
    finalAt: r.final_at,
    sourceStream: r.source_stream,
    sourceSeq: r.source_seq === null ? null : Number(r.source_seq),
  };
}

function toHealth(r: HealthRecord): HealthRow {
  return {
    endpointId: r.endpoint_id,
    accountId: r.account_id,
    firstFailureAt: r.first_failure_at,
    lastFailureAt: r.last_failure_at,
    lastSuccessAt: r.last_success_at,
  };
}

function deliveryRecord(r: DeliveryRow): Record<string, unknown> {
  return {
    id: r.id,
    endpoint_id: r.endpointId,
    account_id: r.accountId,
    event_id: r.eventId,
    event_type: r.eventType,
    status: r.status,
    attempts: r.attempts,
    created_at: r.createdAt,
    last_attempt_at: r.lastAttemptAt,
    next_attempt_at: r.nextAttemptAt,
    final_at: r.finalAt,
    source_stream: r.sourceStream,
    source_seq: r.sourceSeq,
  };
}

function healthRecord(r: HealthRow): Record<string, unknown> {
  return {
    endpoint_id: r.endpointId,
    account_id: r.accountId,
    first_failure_at: r.firstFailureAt,
    last_failure_at: r.lastFailureAt,
    last_success_at: r.lastSuccessAt,
  };
}
