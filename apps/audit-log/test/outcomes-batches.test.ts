/**
 * The OUTCOMES projection against Postgres, batch by batch, without NATS: the batches a busy stream produces (a
 * delivery's facts spread over several batches), the live changes with and without listeners, and HOT updates.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { JetStreamClient, JsMsg, LogSink } from '@codeplanet/jetstream';
import type { OutcomeFact } from '@codeplanet/event-schemas';
import { createTestDatabase, type TestDatabase } from '@codeplanet/service-kit/testing';
import { openAuditDataSource } from '../src/database/data-source.js';
import { BatchRunner } from '../src/projection/batch-runner.js';
import type { LiveChange } from '../src/projection/projector.js';
import { OutcomesProjector } from '../src/projection/projectors/outcomes.projector.js';
import { accepted, attempt, finished } from './support/facts.js';
import { idsOf } from './support/seed.js';

let db: TestDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  dataSource = await openAuditDataSource(db.url);
}, 30_000);

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

beforeEach(async () => {
  await dataSource.query(`TRUNCATE audit.deliveries, audit.attempts, audit.events, audit.checkpoints`);
});

const silent: LogSink = { log: () => undefined, warn: () => undefined, error: () => undefined };
const ids = idsOf('acct_b', 1, 'ep_b', 'payment.failed');
const at = (minute: number): string => new Date(Date.UTC(2026, 11, 4, 15, minute)).toISOString();

/** A failed ladder of two attempts, then a manual retry whose new ladder starts at attempt 1 again. */
const STORY: OutcomeFact[] = [
  accepted(at(0), ids),
  attempt(1, at(1), { ok: false, next: at(2) }, ids),
  attempt(2, at(2), { ok: false, status: 503 }, ids),
  finished('failed', at(3), 2, ids),
  attempt(1, at(10), { ok: true, status: 204 }, ids),
  finished('succeeded', at(11), 1, ids),
];

interface Run {
  runner: BatchRunner;
  changes: LiveChange[];
  /** Next stream sequence. */
  seq: number;
}

function runner(hasLiveListeners: () => boolean): Run {
  const run: Run = {
    changes: [],
    seq: 1,
    runner: new BatchRunner({
      dataSource,
      js: {} as JetStreamClient, // processBatch never pulls
      streamName: 'TEST_OUTCOMES',
      consumerName: 'audit-log-outcomes',
      projector: new OutcomesProjector(),
      batchSize: 100,
      logger: silent,
      onCommit: (changes) => run.changes.push(...changes),
      hasLiveListeners,
    }),
  };
  return run;
}

async function apply(run: Run, facts: readonly OutcomeFact[]): Promise<void> {
  const batch = facts.map(
    (fact) =>
      ({
        seq: run.seq++,
        subject: `outcomes.${ids.endpointId}`,
        data: new TextEncoder().encode(JSON.stringify(fact)),
        ack: () => undefined,
        nak: () => undefined,
        working: () => undefined,
      }) as unknown as JsMsg,
  );
  expect(await run.runner.processBatch(batch)).toBe(true);
}

async function storedDelivery(): Promise<Record<string, unknown>> {
  const [row] = await dataSource.query<Array<Record<string, unknown>>>(
    `SELECT status, attempts, last_attempt, last_status_code, created_at, updated_at FROM audit.deliveries`,
  );
  return row!;
}

describe('attempt counts', () => {
  it('count the attempt rows of every ladder, whether the facts come in one batch or one per batch', async () => {
    const together = runner(() => false);
    await apply(together, STORY);
    const inOne = await storedDelivery();
    expect(inOne).toMatchObject({ status: 'succeeded', attempts: 3, last_attempt: 1, last_status_code: 204 });

    for (const live of [false, true]) {
      await dataSource.query(`TRUNCATE audit.deliveries, audit.attempts, audit.events, audit.checkpoints`);
      const apart = runner(() => live);
      for (const fact of STORY) await apply(apart, [fact]);
      expect(await storedDelivery()).toEqual(inOne);
    }
  });

  it('are raised by a final fact that counts more attempts than are stored yet', async () => {
    const run = runner(() => false);
    await apply(run, [accepted(at(0), ids), finished('failed', at(3), 2, ids)]);
    await apply(run, [attempt(1, at(1), { ok: false, next: at(2) }, ids)]);
    expect(await storedDelivery()).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('ignore a redelivered attempt fact', async () => {
    const run = runner(() => false);
    await apply(run, STORY.slice(0, 2));
    await apply(run, [STORY[1]!]);
    expect(await storedDelivery()).toMatchObject({ attempts: 1 });
  });
});

describe('live changes', () => {
  it('are returned with the statements while someone listens', async () => {
    const run = runner(() => true);
    await apply(run, STORY.slice(0, 2));
    expect(run.changes).toEqual([
      {
        kind: 'delivery',
        row: expect.objectContaining({ id: ids.deliveryId, attempts: 1, status: 'pending' }),
      },
      { kind: 'attempt', row: expect.objectContaining({ delivery_id: ids.deliveryId, attempt: 1 }) },
    ]);
  });

  it('are not produced without listeners', async () => {
    const run = runner(() => false);
    await apply(run, STORY.slice(0, 2));
    expect(run.changes).toEqual([]);
  });

  it('are read back after the commit for a listener that came while the batch ran', async () => {
    const live = runner(() => true);
    await apply(live, STORY.slice(0, 3));
    const returned = live.changes;

    await dataSource.query(`TRUNCATE audit.deliveries, audit.attempts, audit.events, audit.checkpoints`);
    let asked = 0;
    const late = runner(() => asked++ > 0); // nobody when the batch starts, a listener at the commit
    await apply(late, STORY.slice(0, 3));
    expect(late.changes).toEqual(returned);
  });
});

describe('HOT updates', () => {
  it('update a delivery without touching its indexes', async () => {
    const run = runner(() => false);
    await apply(run, [accepted(at(0), ids)]);
    const projector = new OutcomesProjector();
    const facts = STORY.slice(1, 4).map((value, i) => ({ seq: 100 + i, subject: 'outcomes.ep_b', value }));
    // Pending counts of this backend (they may include earlier transactions' not yet flushed): compare.
    const counts = `SELECT n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_xact_user_tables
                    WHERE schemaname = 'audit' AND relname = 'deliveries'`;
    const [before, after] = await dataSource.transaction(async (tx) => {
      const [start] = await tx.query<Array<{ upd: number; hot: number }>>(counts);
      await projector.apply(tx, facts, { liveChanges: false });
      const [end] = await tx.query<Array<{ upd: number; hot: number }>>(counts);
      return [start!, end!];
    });
    expect({ updates: after.upd - before.upd, hot: after.hot - before.hot }).toEqual({ updates: 1, hot: 1 });
  });
});
