import type { DeliveryRow, DeliveryStatus, FinalState, HealthRow } from './outcomes-fold.js';

export interface HealthRecord {
  endpoint_id: string;
  account_id: string;
  first_failure_at: string | Date | null;
  last_failure_at: string | Date | null;
  last_success_at: string | Date | null;
}

/** A `deliveries` row as the load statement returns it: a JSON array, in the order of LOAD_SQL's columns. */
export type LoadedDelivery = [
  id: string,
  endpointId: string,
  accountId: string,
  eventId: string,
  eventType: string,
  status: DeliveryStatus,
  attempts: number,
  createdAt: string,
  lastAttemptAt: string | null,
  nextAttemptAt: string | null,
  finalAt: string | null,
  sourceStream: string | null,
  sourceSeq: number | null,
];

export interface LoadedRecords {
  deliveries: LoadedDelivery[];
  health: HealthRecord[];
  /** Deliveries of the batch that a job queued and that have not reached a final state yet. */
  open_items: string[];
}

/**
 * Everything a batch reads, in one round trip: $1 the delivery ids its facts name, $2 the endpoint ids of its
 * attempts. The job-item probe uses the small partial index `job_items_open`, so it costs next to nothing when no
 * job is running, and lets the write skip the job-item update for every final that no job waits for.
 */
export const LOAD_SQL = `
SELECT
  (SELECT coalesce(json_agg(json_build_array(id, endpoint_id, account_id, event_id, event_type, status, attempts,
       created_at, last_attempt_at, next_attempt_at, final_at, source_stream, source_seq)), '[]')
     FROM scheduler.deliveries WHERE id = ANY($1::text[])) AS deliveries,
  (SELECT coalesce(json_agg(h), '[]') FROM (
     SELECT endpoint_id, account_id, first_failure_at, last_failure_at, last_success_at
     FROM scheduler.endpoint_health WHERE endpoint_id = ANY($2::text[])) h) AS health,
  (SELECT coalesce(json_agg(i.delivery_id), '[]') FROM scheduler.job_items i
     WHERE i.delivery_id = ANY($1::text[]) AND i.queued_at IS NOT NULL AND i.finished_at IS NULL) AS open_items`;

/** One part of the write statement: a data-modifying CTE whose parameters start at `$first`. */
export interface WritePart {
  key: string;
  sql: (first: number) => string;
  values: unknown[];
}

/**
 * New deliveries of `event.accepted` facts (see `AcceptedColumns`). They were not read first: if a row exists
 * after all (a duplicate `event.accepted`, or outcomes that overtook it), only a missing body location is filled
 * in, which is what `foldOutcome` does with a loaded row.
 */
export function acceptedPart(c: AcceptedColumns): WritePart {
  return {
    key: 'accepted',
    sql: (p) => `
  INSERT INTO scheduler.deliveries (id, endpoint_id, account_id, event_id, event_type, status, attempts, created_at,
    next_attempt_at, source_stream, source_seq, updated_at)
  SELECT r.id, r.endpoint_id, r.account_id, r.event_id, r.event_type, 'pending', 0, r.at, r.at, 'outcomes', r.seq, now()
  FROM unnest($${p}::text[], $${p + 1}::text[], $${p + 2}::text[], $${p + 3}::text[], $${p + 4}::text[],
    $${p + 5}::timestamptz[], $${p + 6}::bigint[]) AS r(id, endpoint_id, account_id, event_id, event_type, at, seq)
  ON CONFLICT (id) DO UPDATE SET source_stream = excluded.source_stream, source_seq = excluded.source_seq,
    updated_at = now()
  WHERE scheduler.deliveries.source_seq IS NULL`,
    values: [c.ids, c.endpointIds, c.accountIds, c.eventIds, c.eventTypes, c.at, c.seqs],
  };
}

/** The upsert's parameters, one array per column, in the order of its column list. */
const UPSERT_COLUMNS = [
  'id',
  'endpointId',
  'accountId',
  'eventId',
  'eventType',
  'status',
  'attempts',
  'createdAt',
  'lastAttemptAt',
  'nextAttemptAt',
  'finalAt',
  'sourceStream',
  'sourceSeq',
] as const satisfies readonly (keyof DeliveryRow)[];

/** Deliveries read and changed by the batch (or new, named by an attempt or final fact first). */
export function upsertPart(rows: DeliveryRow[]): WritePart {
  return {
    key: 'upserted',
    sql: (p) => `
  INSERT INTO scheduler.deliveries (id, endpoint_id, account_id, event_id, event_type, status, attempts, created_at,
    last_attempt_at, next_attempt_at, final_at, source_stream, source_seq, updated_at)
  SELECT *, now() FROM unnest($${p}::text[], $${p + 1}::text[], $${p + 2}::text[], $${p + 3}::text[],
    $${p + 4}::text[], $${p + 5}::text[], $${p + 6}::int[], $${p + 7}::timestamptz[], $${p + 8}::timestamptz[],
    $${p + 9}::timestamptz[], $${p + 10}::timestamptz[], $${p + 11}::text[], $${p + 12}::bigint[])
  ON CONFLICT (id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
    last_attempt_at = excluded.last_attempt_at, next_attempt_at = excluded.next_attempt_at,
    final_at = excluded.final_at, source_stream = excluded.source_stream, source_seq = excluded.source_seq,
    updated_at = now()`,
    values: UPSERT_COLUMNS.map((key) => rows.map((row) => row[key])),
  };
}

/** Stored deliveries the batch dropped. */
export function deletePart(ids: string[]): WritePart {
  return {
    key: 'deleted',
    sql: (p) => `
  DELETE FROM scheduler.deliveries WHERE id = ANY($${p}::text[])`,
    values: [ids],
  };
}

export function healthPart(rows: HealthRecord[]): WritePart {
  return {
    key: 'health',
    sql: (p) => `
  INSERT INTO scheduler.endpoint_health (endpoint_id, account_id, first_failure_at, last_failure_at,
    last_success_at, updated_at)
  SELECT *, now() FROM jsonb_to_recordset($${p}::jsonb) AS r(endpoint_id text, account_id text,
    first_failure_at timestamptz, last_failure_at timestamptz, last_success_at timestamptz)
  ON CONFLICT (endpoint_id) DO UPDATE SET first_failure_at = excluded.first_failure_at,
    last_failure_at = excluded.last_failure_at, last_success_at = excluded.last_success_at, updated_at = now()`,
    values: [JSON.stringify(rows)],
  };
}

/** Job progress: an item is done when its delivery, queued by the job, reaches a final state. */
export function finishedPart(finals: { delivery_id: string; status: string; at: Date }[]): WritePart {
  return {
    key: 'finished',
    sql: (p) => `
  UPDATE scheduler.job_items i SET final_status = f.status, finished_at = f.at
  FROM jsonb_to_recordset($${p}::jsonb) AS f(delivery_id text, status text, at timestamptz)
  WHERE i.delivery_id = f.delivery_id AND i.queued_at IS NOT NULL AND i.finished_at IS NULL`,
    values: [JSON.stringify(finals)],
  };
}

/**
 * Everything a batch writes as one statement of data-modifying CTEs, one per non-empty part (so a batch of only
 * new deliveries plans only their insert). The parts touch disjoint rows, so no row is modified twice. The
 * name identifies the text, for a prepared statement.
 */
export function writeStatement(parts: WritePart[]): { name: string; text: string; values: unknown[] } {
  const ctes: string[] = [];
  const values: unknown[] = [];
  for (const part of parts) {
    ctes.push(`${part.key} AS (${part.sql(values.length + 1)}\n)`);
    values.push(...part.values);
  }
  return {
    name: `scheduler_outcomes_${parts.map((p) => p.key).join('_')}`,
    text: `WITH ${ctes.join(', ')}\nSELECT 1`,
    values,
  };
}

/** New deliveries of `event.accepted` facts, column by column (arrays parse far cheaper than JSON). */
export interface AcceptedColumns {
  ids: string[];
  endpointIds: string[];
  accountIds: string[];
  eventIds: string[];
  eventTypes: string[];
  at: Date[];
  seqs: number[];
}

export function acceptedColumns(rows: DeliveryRow[]): AcceptedColumns {
  const columns: AcceptedColumns = {
    ids: [],
    endpointIds: [],
    accountIds: [],
    eventIds: [],
    eventTypes: [],
    at: [],
    seqs: [],
  };
  for (const row of rows) {
    columns.ids.push(row.id);
    columns.endpointIds.push(row.endpointId);
    columns.accountIds.push(row.accountId);
    columns.eventIds.push(row.eventId);
    columns.eventTypes.push(row.eventType);
    columns.at.push(row.createdAt);
    columns.seqs.push(row.sourceSeq ?? 0);
  }
  return columns;
}

const date = (value: string | Date): Date => (value instanceof Date ? value : new Date(value));
const dateOrNull = (value: string | Date | null): Date | null => (value === null ? null : date(value));

export function toDelivery(r: LoadedDelivery): DeliveryRow {
  const [
    id,
    endpointId,
    accountId,
    eventId,
    eventType,
    status,
    attempts,
    createdAt,
    lastAttemptAt,
    nextAttemptAt,
    finalAt,
    sourceStream,
    sourceSeq,
  ] = r;
  return {
    id,
    endpointId,
    accountId,
    eventId,
    eventType,
    status,
    attempts,
    createdAt: date(createdAt),
    lastAttemptAt: dateOrNull(lastAttemptAt),
    nextAttemptAt: dateOrNull(nextAttemptAt),
    finalAt: dateOrNull(finalAt),
    sourceStream,
    sourceSeq,
  };
}

export function toHealth(r: HealthRecord): HealthRow {
  return {
    endpointId: r.endpoint_id,
    accountId: r.account_id,
    firstFailureAt: dateOrNull(r.first_failure_at),
    lastFailureAt: dateOrNull(r.last_failure_at),
    lastSuccessAt: dateOrNull(r.last_success_at),
  };
}

export function healthRecord(r: HealthRow): HealthRecord {
  return {
    endpoint_id: r.endpointId,
    account_id: r.accountId,
    first_failure_at: r.firstFailureAt,
    last_failure_at: r.lastFailureAt,
    last_success_at: r.lastSuccessAt,
  };
}

/** The first final per delivery: it finishes the job item; later ones in the batch would find it finished. */
export function finalRecords(finals: FinalState[]): { delivery_id: string; status: string; at: Date }[] {
  const seen = new Set<string>();
  const out = [];
  for (const f of finals) {
    if (seen.has(f.deliveryId)) continue;
    seen.add(f.deliveryId);
    out.push({ delivery_id: f.deliveryId, status: f.status, at: f.at });
  }
  return out;
}
