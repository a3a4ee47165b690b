import { splitOutcome } from '@codeplanet/event-schemas';
import { preparedQuery } from '@codeplanet/service-kit';
import type { EntityManager } from 'typeorm';
import { toAttemptView, toDeliveryView } from '../../views/views.js';
import type { ApplyOptions, ApplyResult, LiveChange, RawFact, StreamProjector } from '../projector.js';
import type { EventRow } from '../reducers/event-row.js';
import {
  combineOutcomeRows,
  reduceOutcome,
  type AttemptRow,
  type OutcomeRows,
  type RejectedRow,
} from '../reducers/outcome-reducer.js';
import { recordset, type SqlRow } from '../sql.js';
import { upsertDeliveries } from './deliveries.sql.js';
import { readAttemptChanges, readDeliveryChanges } from './live-reads.js';

/**
 * OUTCOMES → events (from `event.accepted`), deliveries, attempts, rejected_events. A message may hold two facts
 * (an attempt that ended its delivery, see `splitOutcome`); each is reduced on its own.
 */
export class OutcomesProjector implements StreamProjector {
  readonly stream = 'outcomes' as const;

  async apply(tx: EntityManager, facts: readonly RawFact[], options: ApplyOptions): Promise<ApplyResult> {
    const parts: OutcomeRows[] = [];
    let invalid = 0;
    for (const fact of facts) {
      for (const value of splitOutcome(fact.value)) {
        const part = reduceOutcome(value, fact.seq);
        if (part) parts.push(part);
        else invalid++;
      }
    }
    const batch = combineOutcomeRows(parts);
    const live = options.liveChanges;
    await insertEvents(tx, batch.events);
    // Attempts before deliveries: the upsert counts a delivery's stored attempt rows (deliveries.sql.ts).
    const inserted = await insertAttempts(tx, batch.attempts, live);
    const upserted = await upsertDeliveries(tx, batch.deliveries, live);
    await insertRejected(tx, batch.rejected);
    if (live) return { changes: liveChanges(upserted, inserted), invalid };
    const ids = batch.deliveries.map((d) => d.id);
    const readChanges = async (db: EntityManager): Promise<LiveChange[]> => [
      ...(await readDeliveryChanges(db, ids)),
      ...(await readAttemptChanges(db, batch.attempts)),
    ];
    return { changes: [], invalid, readChanges };
  }
}

/** Deliveries once each, in their final state for this batch, then the attempts that are new. */
function liveChanges(upserted: SqlRow[], attempts: SqlRow[]): LiveChange[] {
  return [
    ...upserted.map((row): LiveChange => ({ kind: 'delivery', row: toDeliveryView(row) })),
    ...attempts.map((row): LiveChange => ({ kind: 'attempt', row: toAttemptView(row) })),
  ];
}

export async function insertEvents(tx: EntityManager, events: readonly EventRow[]): Promise<void> {
  if (events.length === 0) return;
  await preparedQuery(
    tx,
    'audit_events_insert',
    `INSERT INTO audit.events (id, account_id, type, created_at, test, data)
     SELECT id, account_id, type, created_at, test, data FROM jsonb_to_recordset($1::jsonb)
       AS r(id text, account_id text, type text, created_at timestamptz, test boolean, data jsonb)
     ON CONFLICT (id) DO NOTHING`,
    [recordset(events)],
  );
}

const INSERT_ATTEMPTS = `
  INSERT INTO audit.attempts (delivery_id, attempt, started_at, event_id, endpoint_id, account_id, event_type,
    outcome, status_code, error, response_body, request_headers, duration_ms, next_attempt_at)
  SELECT delivery_id, attempt, started_at, event_id, endpoint_id, account_id, event_type, outcome, status_code,
    error, response_body, request_headers, duration_ms, next_attempt_at
  FROM jsonb_to_recordset($1::jsonb) AS r(delivery_id text, attempt integer, started_at timestamptz,
    event_id text, endpoint_id text, account_id text, event_type text, outcome text, status_code integer,
    error text, response_body text, request_headers jsonb, duration_ms integer, next_attempt_at timestamptz)
  ON CONFLICT DO NOTHING`;

/** The columns of an AttemptView (listed, not `*`: see service-kit `preparedQuery`). */
const INSERT_ATTEMPTS_RETURNING = `${INSERT_ATTEMPTS}
  RETURNING delivery_id, event_id, endpoint_id, account_id, attempt, outcome, started_at, duration_ms, status_code,
    error, response_body, request_headers, next_attempt_at`;

/** With `returnRows`, returns only the rows that were new (a redelivered attempt fact inserts nothing). */
async function insertAttempts(
  tx: EntityManager,
  attempts: readonly AttemptRow[],
  returnRows: boolean,
): Promise<SqlRow[]> {
  if (attempts.length === 0) return [];
  if (!returnRows) {
    await preparedQuery(tx, 'audit_attempts_insert', INSERT_ATTEMPTS, [recordset(attempts)]);
    return [];
  }
  return preparedQuery(tx, 'audit_attempts_insert_returning', INSERT_ATTEMPTS_RETURNING, [
    recordset(attempts),
  ]);
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
