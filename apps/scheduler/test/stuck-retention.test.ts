import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId, type AuditFact, type DeliveryTask } from '@codeplanet/event-schemas';
import { waitFor } from '@codeplanet/service-kit/testing';
import { RetentionJob } from '../src/maintenance/retention.job.js';
import { StuckRepairJob } from '../src/maintenance/stuck-repair.job.js';
import { createWorld, startLeader, type RunningScheduler, type TestWorld } from './support/harness.js';
import { accept, attempt, endpointState, event, putEndpoint } from './support/facts.js';

const MIN = 60_000;
const DAY = 86_400_000;

describe('stuck-work repair and retention', () => {
  let world: TestWorld;
  let scheduler: RunningScheduler;
  const term = new AbortController().signal;

  beforeAll(async () => {
    world = await createWorld();
    scheduler = await startLeader(
      world.env({ STUCK_AFTER: '10m', RETENTION_DAYS: '30', RETENTION_BATCH_SIZE: '2' }),
    );
  });

  afterAll(async () => {
    await scheduler?.close();
    await world?.close();
  });

  const tasks = () => world.read<DeliveryTask>(world.topology.stream('deliveries'));

  it('re-queues the due attempt of deliveries pending long past their next attempt, once', async () => {
    const account = newId('acct');
    const ep = endpointState(account);
    const backlogged = endpointState(account);
    const off = endpointState(account, { enabled: false, disabled_reason: 'manual' });
    for (const state of [ep, backlogged, off]) await putEndpoint(world, state);
    const now = Date.now();
    const ago = (ms: number): Date => new Date(now - ms);

    const retrying = event('payment.completed', account);
    const [retryingId] = await accept(world, retrying, [ep.id], ago(30 * MIN));
    await attempt(world, {
      evt: retrying,
      endpointId: ep.id,
      attempt: 1,
      ok: false,
      at: ago(29 * MIN),
      next: ago(28 * MIN),
    });
    const neverTried = event('subscription.created', account);
    const [neverTriedId] = await accept(world, neverTried, [ep.id], ago(30 * MIN));
    const waiting = event('payment.failed', account);
    await accept(world, waiting, [backlogged.id], ago(30 * MIN));
    await world.publish(world.topology.delivery(backlogged.id), { queued: 'by the fan-out, not yet taken' });
    const notYet = event('streak.milestone', account);
    await accept(world, notYet, [ep.id], ago(30 * MIN));
    await attempt(world, {
      evt: notYet,
      endpointId: ep.id,
      attempt: 2,
      ok: false,
      at: ago(5 * MIN),
      next: ago(MIN),
    });
    await accept(world, event('certificate.earned', account), [off.id], ago(30 * MIN));

    const job = scheduler.get(StuckRepairJob);
    await waitFor(async () => (await world.sql.query(`SELECT 1 FROM scheduler.deliveries`)).rowCount === 5);
    expect(await job.run(term, new Date(now))).toMatchObject({
      stuck: 3,
      requeued: 2,
      waiting: 1,
      unrecoverable: 0,
    });

    const queued = (await tasks()).filter((t) => t.subject === world.topology.delivery(ep.id));
    const byId = new Map(queued.map((t) => [t.data.delivery_id, t]));
    expect(byId.get(retryingId as string)).toMatchObject({
      msgId: `${retryingId}:repair:2:0`,
      data: { first_attempt: 2, event: retrying, endpoint_id: ep.id, account_id: account },
    });
    expect(byId.get(neverTriedId as string)).toMatchObject({
      msgId: `${neverTriedId}:repair:1:0`,
      data: { first_attempt: 1 },
    });

    // Run again: nothing is stuck any more. Eleven minutes on, the repaired tasks still wait on DELIVERIES: they
    // are not queued a second time; only `notYet`, now overdue itself, is.
    expect(await job.run(term, new Date(now))).toMatchObject({ requeued: 0 });
    expect(await job.run(term, new Date(now + 11 * MIN))).toMatchObject({ requeued: 1, waiting: 3 });
    expect((await tasks()).length).toBe(4);

    const audit = (await world.read<AuditFact>(world.topology.stream('audit'))).filter(
      (f) => f.data.action === 'scheduler.stuck_requeue',
    );
    expect(audit.map((f) => f.data.details?.count)).toEqual([2, 1]);
    expect(audit[0]?.data).toMatchObject({ account_id: account, actor: 'scheduler' });
  });

  it('purges its own old finished rows in batches, and nothing the second time', async () => {
    const old = new Date(Date.now() - 40 * DAY);
    const q = (sql: string, params: unknown[] = []) => world.sql.query(sql, params);
    for (let i = 0; i < 5; i++) {
      await q(
        `INSERT INTO scheduler.deliveries (id, endpoint_id, account_id, event_id, event_type, status, created_at, updated_at)
         VALUES ($1, 'ep_old', 'acct_old', 'evt_old', 'payment.completed', $2, $3, $3)`,
        [`dlv_old_${i}`, i % 2 ? 'failed' : 'succeeded', old],
      );
    }
    await q(
      `INSERT INTO scheduler.deliveries (id, endpoint_id, account_id, event_id, event_type, status, created_at, updated_at)
       VALUES ('dlv_old_pending', 'ep_old', 'acct_old', 'evt_old', 'payment.completed', 'pending', $1, $1)`,
      [old],
    );
    await q(
      `INSERT INTO scheduler.jobs (id, kind, account_id, endpoint_id, params, status, requested_by, created_at, finished_at)
       VALUES ('job_old', 'recover', 'acct_old', 'ep_old', '{}', 'completed', 'admin', $1, $1)`,
      [old],
    );
    for (let i = 0; i < 3; i++) {
      await q(
        `INSERT INTO scheduler.job_items (job_id, delivery_id, event_id, event_type) VALUES ('job_old', $1, 'e', 't')`,
        [`d${i}`],
      );
    }
    await q(
      `INSERT INTO scheduler.job_runs (job, instance_id, started_at, finished_at) VALUES ('retention', 'gone', $1, $1)`,
      [old],
    );

    const job = scheduler.get(RetentionJob);
    const first = await job.run(term);
    expect(first.purged).toEqual({ deliveries: 5, jobs: 1, job_items: 3, job_runs: 1 });
    expect(await job.run(term)).toMatchObject({ purged: {} });
    const left = await q(`SELECT id FROM scheduler.deliveries WHERE endpoint_id = 'ep_old'`);
    expect(left.rows).toEqual([{ id: 'dlv_old_pending' }]);
    const audit = (await world.read<AuditFact>(world.topology.stream('audit'))).filter(
      (f) => f.data.action === 'scheduler.retention',
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.subject).toBe(world.topology.audit('_admin'));
  });
});
