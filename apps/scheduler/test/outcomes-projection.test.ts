import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deliveryIdFor, type AttemptFact, type OutcomeFact } from '@codeplanet/event-schemas';
import type { JsMsg } from '@codeplanet/jetstream';
import { createTestDatabase, type TestDatabase } from '@codeplanet/service-kit/testing';
import { DataSource } from 'typeorm';
import { migrate, schedulerDataSourceOptions } from '../src/database/database.module.js';
import { OutcomesProjection } from '../src/projections/outcomes.projection.js';
import { applyBatch } from '../src/projections/stream-follower.js';
import { event } from './support/facts.js';

const ACCOUNT = 'acct_proj';
const EP = 'ep_proj';
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();

/**
 * The OUTCOMES projection against a real database, batch by batch (the follower's own transaction and checkpoint):
 * which deliveries keep a row, and what jobs still find.
 */
describe('OUTCOMES projection rows', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let seq = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    const options = schedulerDataSourceOptions(db.url);
    await migrate(db.url, options);
    ds = new DataSource({ ...options, migrationsRun: false });
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const batch = (...facts: OutcomeFact[]): JsMsg[] =>
    facts.map((fact) => {
      const msgSeq = ++seq;
      return { seq: msgSeq, json: () => structuredClone(fact) } as unknown as JsMsg;
    });
  const apply = (projection: OutcomesProjection, ...facts: OutcomeFact[]): Promise<void> =>
    applyBatch(projection, ds, batch(...facts));

  function delivery(name: string) {
    const evt = event('payment.completed', ACCOUNT, { id: `evt_${name}` });
    const id = deliveryIdFor(evt.id, EP);
    const common = {
      delivery_id: id,
      event_id: evt.id,
      event_type: evt.type,
      endpoint_id: EP,
      account_id: ACCOUNT,
    };
    return {
      id,
      accepted: (ms: number): OutcomeFact => ({
        type: 'event.accepted',
        event: evt,
        deliveries: [{ delivery_id: id, endpoint_id: EP }],
        occurred_at: at(ms),
      }),
      attempt: (n: number, ok: boolean, ms: number, next: number | null = null): OutcomeFact => ({
        type: ok ? 'attempt.succeeded' : 'attempt.failed',
        ...common,
        attempt: n,
        started_at: at(ms),
        duration_ms: 3,
        status_code: ok ? 200 : 500,
        error: ok ? null : 'http_status',
        response_body: null,
        request_headers: {},
        next_attempt_at: next === null ? null : at(next),
      }),
      /** The attempt that ends the delivery, carrying the final fact (one message, as the worker publishes it). */
      ending(n: number, ok: boolean, ms: number): OutcomeFact {
        const ends_delivery = {
          type: ok ? ('delivery.succeeded' as const) : ('delivery.failed' as const),
          attempts: n,
          occurred_at: at(ms + 1),
        };
        return { ...(this.attempt(n, ok, ms) as AttemptFact), ends_delivery };
      },
      final: (n: number, ok: boolean, ms: number): OutcomeFact => ({
        type: ok ? 'delivery.succeeded' : 'delivery.failed',
        ...common,
        attempts: n,
        occurred_at: at(ms),
      }),
    };
  }

  const rows = async (): Promise<Record<string, string>> => {
    const result = await ds.query<{ id: string; status: string }[]>(
      `SELECT id, status FROM scheduler.deliveries`,
    );
    return Object.fromEntries(result.map((r) => [r.id, r.status]));
  };

  it('keeps rows only for deliveries that are pending, failed, or succeeded after a failure', async () => {
    const projection = new OutcomesProjection('OUTCOMES');
    const [quick, split, retried, dead] = ['quick', 'split', 'retried', 'dead'].map(delivery) as [
      ReturnType<typeof delivery>,
      ReturnType<typeof delivery>,
      ReturnType<typeof delivery>,
      ReturnType<typeof delivery>,
    ];
    await apply(
      projection,
      quick.accepted(0),
      split.accepted(0),
      retried.accepted(0),
      dead.accepted(0),
      quick.attempt(1, true, 5),
      quick.final(1, true, 6),
    );
    // Accepted and succeeded within one batch: nothing was written for `quick`.
    expect(await rows()).toEqual({ [split.id]: 'pending', [retried.id]: 'pending', [dead.id]: 'pending' });

    await apply(
      projection,
      split.attempt(1, true, 10),
      retried.attempt(1, false, 10, 60_000),
      dead.attempt(1, false, 10, 60_000),
    );
    // The pending row of `split` is deleted when its first attempt succeeds; its final fact comes next batch.
    expect(await rows()).toEqual({ [retried.id]: 'pending', [dead.id]: 'pending' });

    await apply(
      projection,
      split.final(1, true, 11),
      retried.attempt(2, true, 60_000),
      retried.final(2, true, 60_001),
      dead.attempt(2, false, 60_005),
      dead.final(2, false, 60_006),
    );
    expect(await rows()).toEqual({ [retried.id]: 'succeeded', [dead.id]: 'failed' });

    const [checkpoint] = await ds.query<{ last_seq: string }[]>(
      `SELECT last_seq FROM scheduler.checkpoints WHERE stream = 'outcomes'`,
    );
    expect(Number(checkpoint?.last_seq)).toBe(seq);
    const [health] = await ds.query<{ first_failure_at: Date | null; last_success_at: Date }[]>(
      `SELECT first_failure_at, last_success_at FROM scheduler.endpoint_health WHERE endpoint_id = $1`,
      [EP],
    );
    // The success at 60s ended the streak of the failures at 10ms; the failure after it opened a new one.
    expect(health?.last_success_at).toEqual(new Date(T0 + 60_000));
    expect(health?.first_failure_at).toEqual(new Date(T0 + 60_005));

    // After a restart the memory of drops is gone: a late final then writes a settled row, as it always did.
    const late = delivery('late');
    await apply(projection, late.accepted(70_000));
    await apply(projection, late.attempt(1, true, 70_010));
    await apply(new OutcomesProjection('OUTCOMES'), late.final(1, true, 70_011));
    expect((await rows())[late.id]).toBe('succeeded');
  });

  it("treats an attempt carrying its delivery's ending like the two facts", async () => {
    const projection = new OutcomesProjection('OUTCOMES');
    const quick = delivery('end-quick');
    const retried = delivery('end-retried');
    const dead = delivery('end-dead');
    await apply(
      projection,
      quick.accepted(0),
      retried.accepted(0),
      dead.accepted(0),
      quick.ending(1, true, 5),
      retried.attempt(1, false, 5, 60_000),
      dead.attempt(1, false, 5, 60_000),
    );
    let now = await rows();
    expect(now[quick.id]).toBeUndefined();
    expect([now[retried.id], now[dead.id]]).toEqual(['pending', 'pending']);
    await apply(projection, retried.ending(2, true, 60_000), dead.ending(2, false, 60_000));
    now = await rows();
    expect([now[quick.id], now[retried.id], now[dead.id]]).toEqual([undefined, 'succeeded', 'failed']);
  });

  it('keeps the settled row of a delivery whose event.accepted arrives after its outcome', async () => {
    const projection = new OutcomesProjection('OUTCOMES');
    const overtaken = delivery('overtaken');
    await apply(projection, overtaken.attempt(1, true, 5), overtaken.final(1, true, 6));
    await apply(projection, overtaken.accepted(0));
    const [row] = await ds.query<{ status: string; source_stream: string; source_seq: string }[]>(
      `SELECT status, source_stream, source_seq FROM scheduler.deliveries WHERE id = $1`,
      [overtaken.id],
    );
    expect(row).toEqual({ status: 'succeeded', source_stream: 'outcomes', source_seq: String(seq) });
  });

  it('finishes the job items of queued deliveries, dropped ones included', async () => {
    const projection = new OutcomesProjection('OUTCOMES');
    const replayed = delivery('replayed');
    const other = delivery('other');
    await ds.query(
      `INSERT INTO scheduler.jobs (id, kind, account_id, endpoint_id, params, status, requested_by)
       VALUES ('job_proj', 'replay', $1, $2, '{}', 'running', 'admin')`,
      [ACCOUNT, EP],
    );
    await ds.query(
      `INSERT INTO scheduler.job_items (job_id, delivery_id, event_id, event_type, source_stream, source_seq, queued_at)
       VALUES ('job_proj', $1, 'evt_replayed', 'payment.completed', 'events', 1, now())`,
      [replayed.id],
    );
    // What the job executor writes when it queues a replay delivery.
    await ds.query(
      `INSERT INTO scheduler.deliveries (id, endpoint_id, account_id, event_id, event_type, status, attempts,
         created_at, next_attempt_at, source_stream, source_seq)
       VALUES ($1, $2, $3, 'evt_replayed', 'payment.completed', 'pending', 0, now(), now(), 'events', 1)`,
      [replayed.id, EP, ACCOUNT],
    );
    await apply(
      projection,
      other.accepted(0),
      other.attempt(1, true, 1),
      replayed.attempt(1, true, 2),
      replayed.final(1, true, 3),
    );
    const items = await ds.query<{ final_status: string; finished_at: Date }[]>(
      `SELECT final_status, finished_at FROM scheduler.job_items WHERE job_id = 'job_proj'`,
    );
    expect(items).toEqual([{ final_status: 'succeeded', finished_at: new Date(T0 + 2) }]);
    const left = await rows();
    expect(left[replayed.id]).toBeUndefined();
    expect(left[other.id]).toBeUndefined();
  });

  it('plans the prepared statements for their actual parameters', async () => {
    const [mode] = await ds.query<{ plan_cache_mode: string }[]>(`SHOW plan_cache_mode`);
    expect(mode?.plan_cache_mode).toBe('force_custom_plan');
  });
});
