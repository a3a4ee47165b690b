import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { AckPolicy, DeliverPolicy } from '@codeplanet/jetstream';
import type { DeliveryTask, OutcomeFact } from '@codeplanet/event-schemas';
import { deleteProjectionConsumer, ensureProjectionConsumer } from '../src/projection/consumers.js';
import { PROJECTED_STREAMS } from '../src/projection/projector.js';
import { rebuildProjections } from '../src/projection/rebuild.js';
import { accepted, attempt, finished } from './support/facts.js';
import { ADMIN, startHarness, type Harness } from './support/harness.js';
import { A, idsOf, seed, type Seeded } from './support/seed.js';

let h: Harness;
let s: Seeded;

beforeAll(async () => {
  h = await startHarness({ PROJECTION_BATCH_SIZE: '7' });
  s = await seed(h);
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** Every read the API offers, as the admin sees it: the thing a rebuild must reproduce exactly. */
async function snapshot(): Promise<unknown> {
  const list = await h.http('GET', '/v1/deliveries?limit=200', ADMIN);
  const rows = list.body.data as Array<{ id: string; event_id: string }>;
  const details = await Promise.all(
    rows.map(async (d): Promise<unknown[]> => [
      (await h.http<unknown>('GET', `/v1/deliveries/${d.id}`, ADMIN)).body,
      (await h.http<unknown>('GET', `/v1/events/${d.event_id}`, ADMIN)).body,
    ]),
  );
  const trail = await h.http('GET', '/v1/audit-trail?limit=200', ADMIN);
  const rejected = await h.http('GET', '/v1/rejected-events?limit=200', ADMIN);
  const endpoints = await h.dataSource.query(`SELECT * FROM audit.endpoints ORDER BY id`);
  const keys = await h.dataSource.query(`SELECT * FROM audit.api_keys ORDER BY id`);
  return { list: list.body, details, trail: trail.body, rejected: rejected.body, endpoints, keys };
}

async function count(table: string): Promise<number> {
  const [row] = await h.dataSource.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM audit.${table}`,
  );
  return row!.n;
}

describe('projection order and duplicates', () => {
  it('converges when an attempt is projected before its event.accepted', async () => {
    const ids = idsOf(A, 50, 'ep_a1', 'payment.completed');
    const created = s.at(100);
    await h.outcome(attempt(1, s.at(100, 5), { ok: true, status: 201 }, ids));
    await h.outcome(finished('succeeded', s.at(100, 30), 1, ids));
    await h.outcome(accepted(created, ids));
    await h.projected();
    const res = await h.http('GET', `/v1/deliveries/${ids.deliveryId}`, s.keyA);
    expect(res.body).toMatchObject({
      status: 'succeeded',
      attempt_count: 1,
      last_status_code: 201,
      created_at: created,
    });
    expect(res.body.event).toMatchObject({ id: ids.eventId });
  });

  it("projects both facts of an attempt that carries its delivery's ending (one message)", async () => {
    const ids = idsOf(A, 58, 'ep_a1', 'payment.completed');
    await h.outcome(accepted(s.at(110), ids));
    await h.outcome(attempt(1, s.at(110, 5), { ok: false, status: 503 }, ids));
    const last = attempt(2, s.at(111, 5), { ok: true, status: 200 }, ids);
    await h.outcome({
      ...last,
      ends_delivery: { type: 'delivery.succeeded', attempts: 2, occurred_at: s.at(111, 30) },
    } as OutcomeFact);
    await h.projected();
    const res = await h.http('GET', `/v1/deliveries/${ids.deliveryId}`, s.keyA);
    expect(res.body).toMatchObject({ status: 'succeeded', attempt_count: 2, last_status_code: 200 });
    const attempts = (res.body.attempts as Array<{ attempt: number; status_code: number }>).map((a) => [
      a.attempt,
      a.status_code,
    ]);
    expect(attempts).toEqual([
      [1, 503],
      [2, 200],
    ]);
  });

  it('a fact published twice (a worker crash window) is stored once', async () => {
    const ids = idsOf(A, 51, 'ep_a2', 'payment.failed');
    const fact = attempt(1, s.at(101), { ok: false, next: s.at(102) }, ids);
    await h.outcome(accepted(s.at(101), ids));
    await h.outcome(fact);
    await h.outcome(fact);
    await h.projected();
    const res = await h.http('GET', `/v1/deliveries/${ids.deliveryId}`, s.keyA);
    expect(res.body.attempt_count).toBe(1);
    expect(res.body.attempts).toHaveLength(1);
  });

  it('replaying the same messages again (consumers recreated from sequence 1) adds no rows', async () => {
    const before = await snapshot();
    const counts = await Promise.all(['deliveries', 'attempts', 'events', 'audit_trail'].map(count));
    const { jsm, topology } = h.bus;
    for (const stream of PROJECTED_STREAMS) {
      await deleteProjectionConsumer(jsm, topology, stream);
      await ensureProjectionConsumer(jsm, topology, stream, 7);
    }
    await waitForConsumersIdle();
    expect(await Promise.all(['deliveries', 'attempts', 'events', 'audit_trail'].map(count))).toEqual(counts);
    expect(await snapshot()).toEqual(before);
  });
});

describe('rebuild', () => {
  it('drops and replays every projection with identical query results', async () => {
    const before = await snapshot();
    await h.dataSource.query(`UPDATE audit.deliveries SET status = 'failed', attempts = 99`);
    await h.dataSource.query(`DELETE FROM audit.attempts WHERE attempt = 1`);
    const result = await rebuild();
    expect(result.streams.every((stream) => stream.lag === 0)).toBe(true);
    await h.projected();
    expect(await snapshot()).toEqual(before);
  });
});

describe('POST /v1/deliveries/:id/retry', () => {
  it('publishes a fresh task, marks the row pending, and a rebuild keeps it', async () => {
    const id = 'dlv_acct_a_01';
    expect((await h.http('GET', `/v1/deliveries/${id}`, s.keyA)).body.status).toBe('failed');
    const res = await h.http('POST', `/v1/deliveries/${id}/retry`, s.keyA);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ delivery_id: id, job_id: expect.stringMatching(/^job_/), status: 'pending' });

    const task = await readOneTask();
    expect(task.msgId).toBe(`${id}:manual:${res.body.job_id}`);
    expect(task.body).toMatchObject({
      delivery_id: id,
      endpoint_id: 'ep_a2',
      account_id: A,
      first_attempt: 1,
      cause: { kind: 'manual_retry', job_id: res.body.job_id },
      event: { id: 'evt_acct_a_01', type: 'payment.failed', account_id: A },
    });
    const row = (await h.http('GET', `/v1/deliveries/${id}`, s.keyA)).body;
    expect(row).toMatchObject({ status: 'pending', attempt_count: 2 });

    expect((await h.http('POST', `/v1/deliveries/${id}/retry`, s.keyA)).status).toBe(409);
    await h.projected();
    const trail = await h.http('GET', `/v1/audit-trail?action=delivery.retry&target_id=${id}`, ADMIN);
    expect(trail.body.data).toEqual([expect.objectContaining({ actor: `key_${A}`, account_id: A })]);

    // The retry is a fact on AUDIT, so a rebuild ends in the same state.
    const pending = await snapshot();
    await rebuild();
    await h.projected();
    expect(await snapshot()).toEqual(pending);

    // The fresh ladder's first attempt succeeds: the row follows it.
    const ids = idsOf(A, 1, 'ep_a2', 'payment.failed');
    await h.outcome(attempt(1, new Date(Date.now() + 5).toISOString(), { ok: true, status: 200 }, ids));
    await h.projected();
    const after = (await h.http('GET', `/v1/deliveries/${id}`, s.keyA)).body;
    expect(after).toMatchObject({ status: 'succeeded', attempt_count: 3, last_status_code: 200 });
  });

  it('answers 404 for unknown deliveries', async () => {
    expect((await h.http('POST', '/v1/deliveries/dlv_nope/retry', ADMIN)).status).toBe(404);
  });
});

function rebuild(): ReturnType<typeof rebuildProjections> {
  return rebuildProjections({
    dataSource: h.dataSource,
    js: h.bus.js,
    jsm: h.bus.jsm,
    topology: h.bus.topology,
    batchSize: 5,
    logger: (context) => new Logger(context),
    timeoutMs: 30_000,
  });
}

async function waitForConsumersIdle(): Promise<void> {
  const { jsm, topology } = h.bus;
  for (let quiet = 0; quiet < 2;) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const infos = await Promise.all(
      PROJECTED_STREAMS.map((key) => jsm.consumers.info(topology.stream(key), `audit-log-${key}`)),
    );
    quiet = infos.every((i) => i.num_pending === 0 && i.num_ack_pending === 0) ? quiet + 1 : 0;
  }
}

async function readOneTask(): Promise<{ msgId: string | undefined; body: DeliveryTask }> {
  const { jsm, js, topology } = h.bus;
  const stream = topology.stream('deliveries');
  await jsm.consumers.add(stream, {
    durable_name: 'test-reader',
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
  });
  const consumer = await js.consumers.get(stream, 'test-reader');
  const msg = await consumer.next({ expires: 5_000 });
  if (!msg) throw new Error('no task on DELIVERIES');
  msg.ack();
  return { msgId: msg.headers?.get('Nats-Msg-Id'), body: msg.json<DeliveryTask>() };
}
