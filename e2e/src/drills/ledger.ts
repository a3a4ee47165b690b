/**
 * The ledger every drill ends with: published (acknowledged) events × endpoints = deliveries at the receiver
 * (duplicates counted apart), audit-log's succeeded delivery rows = deliveries, and audit-log's attempt rows =
 * the attempt facts on OUTCOMES — one row per fact, none missing, none doubled.
 */
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { createTopology, splitOutcome, type OutcomeBatch, type OutcomeFact } from '@codeplanet/event-schemas';
import type { DrillEndpoint, DrillReceiver } from './load.js';

export interface LedgerReport {
  published: number;
  failedToPublish: number;
  expected: number;
  delivered: number;
  duplicates: number;
  missing: string[];
  auditSucceeded: number;
  auditDeliveryRows: number;
  auditDistinctDeliveries: number;
  attemptFacts: number;
  attemptRows: number;
  /** Attempt facts with no row, and rows with no fact (first few of each). */
  attemptRowsMissing: string[];
  attemptRowsExtra: string[];
  /** Failed attempts by `error`/status code, e.g. `{ "http_status 500": 3, "circuit_open": 120 }`. */
  failedAttempts: Record<string, number>;
  /** What audit-log says about the first few missing deliveries. */
  missingInAudit: string[];
}

export interface LedgerInput {
  receiver: DrillReceiver;
  endpoints: DrillEndpoint[];
  published: Set<string>;
  failedToPublish: Set<string>;
  databaseUrl: string;
  natsUrl: string;
  prefix: string;
}

/**
 * Every attempt fact on OUTCOMES for these endpoints, keyed as audit-log's attempts key is. Retried: right after a
 * cluster node died, creating the reading consumer can time out until the cluster has settled.
 */
async function attemptFacts(natsUrl: string, prefix: string, endpointIds: Set<string>): Promise<Set<string>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readAttemptFacts(natsUrl, prefix, endpointIds);
    } catch (error) {
      if (attempt >= 6) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

async function readAttemptFacts(
  natsUrl: string,
  prefix: string,
  endpointIds: Set<string>,
): Promise<Set<string>> {
  const nc = await connect({ servers: natsUrl.split(','), name: 'drill-ledger' });
  try {
    const js = jetstream(nc);
    const stream = createTopology(prefix).stream('outcomes');
    const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
    const keys = new Set<string>();
    const info = await consumer.info();
    let remaining = info.num_pending;
    if (remaining === 0) return keys;
    const messages = await consumer.consume({ max_messages: 1000 });
    for await (const message of messages) {
      for (const fact of splitOutcome(message.json<OutcomeFact | OutcomeBatch>())) {
        if (
          (fact.type === 'attempt.succeeded' || fact.type === 'attempt.failed') &&
          endpointIds.has(fact.endpoint_id)
        ) {
          keys.add(`${fact.delivery_id}|${fact.attempt}|${new Date(fact.started_at).toISOString()}`);
        }
      }
      remaining = message.info.pending;
      if (remaining === 0) break;
    }
    await messages.close();
    return keys;
  } finally {
    await nc.close();
  }
}

export async function readLedger(input: LedgerInput): Promise<LedgerReport> {
  const { receiver, endpoints, published } = input;
  const missing: string[] = [];
  let delivered = 0;
  let duplicates = 0;
  for (const endpoint of endpoints) {
    for (const id of published) {
      const count = receiver.arrivals.get(`${endpoint.path}|${id}`) ?? 0;
      if (count === 0) missing.push(`${endpoint.path}|${id}`);
      else {
        delivered += 1;
        duplicates += count - 1;
      }
    }
  }
  const ids = endpoints.map((e) => e.id);
  const eventIds = [...published];
  const client = new pg.Client({ connectionString: input.databaseUrl });
  await client.connect();
  try {
    const deliveries = await client.query<{ rows: string; distinct_pairs: string; succeeded: string }>(
      `select count(*) as rows, count(distinct (event_id, endpoint_id)) as distinct_pairs,
              count(*) filter (where status = 'succeeded') as succeeded
         from audit.deliveries where endpoint_id = any($1) and event_id = any($2)`,
      [ids, eventIds],
    );
    const attempts = await client.query<{ key: string }>(
      `select delivery_id || '|' || attempt || '|' || to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as key
         from audit.attempts where endpoint_id = any($1)`,
      [ids],
    );
    const failures = await client.query<{ reason: string; n: string }>(
      `select coalesce(error, 'none') || ' ' || coalesce(status_code::text, '-') as reason, count(*) as n
         from audit.attempts where endpoint_id = any($1) and outcome = 'failed' group by 1 order by 2 desc`,
      [ids],
    );
    const missingPairs = missing.slice(0, 5).map((key) => {
      const [path, eventId] = key.split('|');
      return { eventId: eventId!, endpointId: endpoints.find((e) => e.path === path)!.id };
    });
    const missingInAudit: string[] = [];
    for (const pair of missingPairs) {
      const found = await client.query<{
        status: string;
        attempts: number;
        last_error: string | null;
        last_status_code: number | null;
      }>(
        'select status, attempts, last_error, last_status_code from audit.deliveries where event_id = $1 and endpoint_id = $2',
        [pair.eventId, pair.endpointId],
      );
      const r = found.rows[0];
      missingInAudit.push(
        `${pair.eventId} → ${pair.endpointId}: ${r ? `${r.status}, ${r.attempts} attempts, last ${r.last_error ?? ''} ${r.last_status_code ?? ''}` : 'no row'}`,
      );
    }
    const facts = await attemptFacts(input.natsUrl, input.prefix, new Set(ids));
    const rows = attempts.rows.map((r) => r.key);
    const rowSet = new Set(rows);
    const row = deliveries.rows[0]!;
    return {
      published: published.size,
      failedToPublish: input.failedToPublish.size,
      expected: published.size * endpoints.length,
      delivered,
      duplicates,
      missing,
      auditSucceeded: Number(row.succeeded),
      auditDeliveryRows: Number(row.rows),
      auditDistinctDeliveries: Number(row.distinct_pairs),
      attemptFacts: facts.size,
      attemptRows: rows.length,
      attemptRowsMissing: [...facts].filter((k) => !rowSet.has(k)).slice(0, 10),
      attemptRowsExtra: rows.filter((k) => !facts.has(k)).slice(0, 10),
      failedAttempts: Object.fromEntries(failures.rows.map((r) => [r.reason, Number(r.n)])),
      missingInAudit,
    };
  } finally {
    await client.end();
  }
}

/**
 * Waits until every published event reached every endpoint and audit-log shows each delivery succeeded
 * (or the time is up), then returns the final ledger for the drill to assert on.
 */
export async function settleLedger(input: LedgerInput, timeoutMs: number): Promise<LedgerReport> {
  const deadline = Date.now() + timeoutMs;
  const expected = input.published.size * input.endpoints.length;
  for (;;) {
    const delivered = input.endpoints.reduce(
      (sum, e) => sum + [...input.published].filter((id) => input.receiver.has(e.path, id)).length,
      0,
    );
    if (delivered >= expected || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // Then audit-log: poll one count (cheap) until it caught up, and read the full ledger once at the end.
  const client = new pg.Client({ connectionString: input.databaseUrl });
  await client.connect().catch(() => undefined);
  try {
    for (;;) {
      const counted = await client
        .query<{ n: string }>(
          `select count(*) as n from audit.deliveries where endpoint_id = any($1) and status = 'succeeded' and event_id = any($2)`,
          [input.endpoints.map((e) => e.id), [...input.published]],
        )
        .then((r) => Number(r.rows[0]?.n ?? 0))
        .catch(() => 0);
      if (counted >= expected || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  for (;;) {
    const report = await readLedger(input);
    if (report.attemptRows >= report.attemptFacts || Date.now() > deadline) return report;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

export function describeLedger(report: LedgerReport): string {
  return [
    `published ${report.published} (gave up on ${report.failedToPublish})`,
    `deliveries expected ${report.expected}, delivered ${report.delivered}, duplicates ${report.duplicates}, missing ${report.missing.length}`,
    `audit: succeeded ${report.auditSucceeded}, rows ${report.auditDeliveryRows} (distinct ${report.auditDistinctDeliveries})`,
    `attempts: facts ${report.attemptFacts}, rows ${report.attemptRows}, missing ${report.attemptRowsMissing.length}, extra ${report.attemptRowsExtra.length}`,
    `failed attempts ${JSON.stringify(report.failedAttempts)}`,
    ...(report.missingInAudit.length ? [`missing in audit: ${report.missingInAudit.join(' | ')}`] : []),
  ].join('; ');
}
