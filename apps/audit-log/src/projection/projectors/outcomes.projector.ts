import type { EntityManager } from 'typeorm';
import { toAttemptView, toDeliveryView } from '../../views/views.js';
import type { ApplyResult, LiveChange, RawFact, StreamProjector } from '../projector.js';
import type { EventRow } from '../reducers/event-row.js';
import {
  combineOutcomeRows,
  reduceOutcome,
  type AttemptRow,
  type OutcomeRows,
  type RejectedRow,
} from '../reducers/outcome-reducer.js';
import { recordset, rows, type SqlRow } from '../sql.js';
import { recountAttempts, upsertDeliveries } from './deliveries.sql.js';

/** OUTCOMES → events (from `event.accepted`), deliveries, attempts, rejected_events. */
export class OutcomesProjector implements StreamProjector {
  readonly stream = 'outcomes' as const;

  async apply(tx: EntityManager, facts: readonly RawFact[]): Promise<ApplyResult> {
    const parts: OutcomeRows[] = [];
    let invalid = 0;
    for (const fact of facts) {
      const part = reduceOutcome(fact.value, fact.seq);
      if (part) parts.push(part);
      else invalid++;
    }
    const batch = combineOutcomeRows(parts);
    await insertEvents(tx, batch.events);
    const upserted = await upsertDeliveries(tx, batch.deliveries);
    const inserted = await insertAttempts(tx, batch.attempts);
    const recounted = await recountAttempts(
      tx,
      inserted.map((a) => a.delivery_id as string),
    );
    await insertRejected(tx, batch.rejected);
    return { changes: liveChanges(upserted, recounted, inserted), invalid };
  }
}

/** Deliveries once each, in their final state for this batch, then the attempts that are new. */
function liveChanges(upserted: SqlRow[], recounted: SqlRow[], attempts: SqlRow[]): LiveChange[] {
  const latest = new Map<string, SqlRow>();
  for (const row of [...upserted, ...recounted]) latest.set(row.id as string, row);
  return [
    ...[...latest.values()].map((row): LiveChange => ({ kind: 'delivery', row: toDeliveryView(row) })),
    ...attempts.map((row): LiveChange => ({ kind: 'attempt', row: toAttemptView(row) })),
  ];
}

export async function insertEvents(tx: EntityManager, events: readonly EventRow[]): Promise<void> {
  if (events.length === 0) return;
  await tx.query(
    `INSERT INTO audit.events (id, account_id, type, created_at, test, data)
     SELECT id, account_id, type, created_at, test, data FROM jsonb_to_recordset($1::jsonb)
       AS r(id text, account_id text, type text, created_at timestamptz, test boolean, data jsonb)
     ON CONFLICT (id) DO NOTHING`,
    [recordset(events)],
  );
}

/** Returns only the rows that were new (a redelivered attempt fact inserts nothing). */
async function insertAttempts(tx: EntityManager, attempts: readonly AttemptRow[]): Promise<SqlRow[]> {
  if (attempts.length === 0) return [];
  return rows(
    tx,
    `INSERT INTO audit.attempts (delivery_id, attempt, started_at, event_id, endpoint_id, account_id, event_type,
       outcome, status_code, error, response_body, request_headers, duration_ms, next_attempt_at)
     SELECT delivery_id, attempt, started_at, event_id, endpoint_id, account_id, event_type, outcome, status_code,
       error, response_body, request_headers, duration_ms, next_attempt_at
     FROM jsonb_to_recordset($1::jsonb) AS r(delivery_id text, attempt integer, started_at timestamptz,
       event_id text, endpoint_id text, account_id text, event_type text, outcome text, status_code integer,
       error text, response_body text, request_headers jsonb, duration_ms integer, next_attempt_at timestamptz)
     ON CONFLICT DO NOTHING
     RETURNING *`,
    [recordset(attempts)],
  );
}

async function insertRejected(tx: EntityManager, rejected: readonly RejectedRow[]): Promise<void> {
  if (rejected.length === 0) return;
  await tx.query(
    `INSERT INTO audit.rejected_events (id, stream_seq, event_id, account_id, subject, raw, errors, occurred_at)
     SELECT id, stream_seq, event_id, account_id, subject, raw, errors, occurred_at
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, stream_seq bigint, event_id text, account_id text,
       subject text, raw text, errors jsonb, occurred_at timestamptz)
     ON CONFLICT (id) DO NOTHING`,
    [recordset(rejected)],
  );
}
