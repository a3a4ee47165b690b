import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deliveryIdFor, newId, type DeliveryTask, type EventEnvelope } from '@codeplanet/event-schemas';
import { waitFor } from '@codeplanet/service-kit/testing';
import type { JobView } from '../src/jobs/dto.js';
import { ADMIN, createWorld, startLeader, type RunningScheduler, type TestWorld } from './support/harness.js';
import { endpointState, event, putAccountKey, putEndpoint } from './support/facts.js';

describe('replay', () => {
  let world: TestWorld;
  let scheduler: RunningScheduler;

  beforeAll(async () => {
    world = await createWorld();
    scheduler = await startLeader(world.env());
  });

  afterAll(async () => {
    await scheduler?.close();
    await world?.close();
  });

  const publishEvent = (evt: EventEnvelope): Promise<number> =>
    world.publish(world.topology.event(evt.type), evt, evt.id);
  const completed = (id: string, token = ADMIN): Promise<JobView> =>
    waitFor(
      async () => {
        const view = (await scheduler.http<JobView>('GET', `/v1/jobs/${id}`, token)).body;
        return view.status === 'completed' ? view : null;
      },
      { what: `job ${id} completed` },
    );
  const tasks = async (): Promise<{ msgId: string | undefined; data: DeliveryTask }[]> =>
    world.read<DeliveryTask>(world.topology.stream('deliveries'));

  it('answers /health and /metrics without a token', async () => {
    const health = await scheduler.http<{ status: string; checks: Record<string, string> }>(
      'GET',
      '/health',
      null,
    );
    expect(health).toEqual({ status: 200, body: { status: 'ok', checks: { nats: 'up', database: 'up' } } });
    const metrics = await scheduler.http<string>('GET', '/metrics', null);
    expect(metrics.body).toMatch(/^scheduler_leader 1$/m);
    expect(metrics.body).toContain('scheduler_job_runs_total');
  });

  it('sends the account’s events of the types in the range again, as new replay deliveries', async () => {
    const account = newId('acct');
    const key = await putAccountKey(world, account);
    const ep = endpointState(account);
    await putEndpoint(world, ep);
    const since = new Date(Date.now() - 1000);
    const wanted = [event('payment.completed', account), event('subscription.created', account)];
    for (const evt of wanted) await publishEvent(evt);
    await publishEvent(event('payment.completed', newId('acct')));
    await publishEvent(event('payment.completed', account, { test: true }));
    await publishEvent(event('certificate.earned', account));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const until = new Date();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await publishEvent(event('payment.completed', account));

    await waitFor(async () => (await scheduler.http('GET', '/v1/jobs/job_none', key)).status === 404);
    const body = {
      types: ['payment.completed', 'subscription.created'],
      since: since.toISOString(),
      until: until.toISOString(),
    };
    const accepted = await scheduler.http<{ job_id: string }>(
      'POST',
      `/v1/endpoints/${ep.id}/replay`,
      key,
      body,
    );
    expect(accepted.status).toBe(202);
    const jobId = accepted.body.job_id;
    expect(await completed(jobId, key)).toMatchObject({ kind: 'replay', total: 2, queued: 2, skipped: 0 });

    const queued = await tasks();
    expect(queued).toHaveLength(2);
    for (const task of queued) {
      const evt = wanted.find((e) => e.id === task.data.event.id) as EventEnvelope;
      expect(evt).toBeDefined();
      expect(task.data.delivery_id).toBe(deliveryIdFor(evt.id, ep.id, jobId));
      expect(task.data.delivery_id).not.toBe(deliveryIdFor(evt.id, ep.id));
      expect(task.msgId).toBe(`${evt.id}:${ep.id}:${jobId}`);
      expect(task.data).toMatchObject({
        endpoint_id: ep.id,
        account_id: account,
        first_attempt: 1,
        cause: { kind: 'replay', job_id: jobId },
      });
      expect(task.data.event).toEqual(evt);
    }

    // The same job run again after a failover between "marked queued" and "published", then from scratch:
    // the publishes are deduped, nothing new is queued.
    const rerun = async (unmark: string): Promise<void> => {
      await world.sql.query(`UPDATE scheduler.job_items SET ${unmark} WHERE job_id = $1`, [jobId]);
      await world.sql.query(
        `UPDATE scheduler.jobs SET status = 'running', total = NULL, finished_at = NULL WHERE id = $1`,
        [jobId],
      );
      await completed(jobId);
    };
    await rerun('published_at = NULL');
    expect(await tasks()).toHaveLength(2);
    await rerun('published_at = NULL, queued_at = NULL');
    expect(await tasks()).toHaveLength(2);

    // A second replay job is a second set of deliveries, each deduped on (event, endpoint, job).
    const again = await scheduler.http<{ job_id: string }>(
      'POST',
      `/v1/endpoints/${ep.id}/replay`,
      ADMIN,
      body,
    );
    await completed(again.body.job_id);
    const all = await tasks();
    expect(all).toHaveLength(4);
    expect(new Set(all.map((t) => t.data.delivery_id)).size).toBe(4);
  });

  it('marks an item queued, with its pending delivery, before its task can be seen', async () => {
    const account = newId('acct');
    const key = await putAccountKey(world, account);
    const ep = endpointState(account);
    await putEndpoint(world, ep);
    const since = new Date(Date.now() - 1000);
    await publishEvent(event('payment.completed', account));
    await waitFor(async () => (await scheduler.http('GET', '/v1/jobs/job_none', key)).status === 404);

    // What the projection would find if the worker answered at once: read as soon as the task is published.
    const seen: Promise<{ queued: boolean; pending: boolean }>[] = [];
    const watch = world.nc.subscribe(world.topology.delivery(ep.id), {
      callback: (_err, msg) => {
        const task = msg.json<DeliveryTask>();
        seen.push(
          (async () => {
            const item = await world.sql.query<{ queued_at: Date | null }>(
              `SELECT queued_at FROM scheduler.job_items WHERE delivery_id = $1`,
              [task.delivery_id],
            );
            const row = await world.sql.query<{ status: string }>(
              `SELECT status FROM scheduler.deliveries WHERE id = $1`,
              [task.delivery_id],
            );
            return { queued: item.rows[0]?.queued_at != null, pending: row.rows[0]?.status === 'pending' };
          })(),
        );
      },
    });
    const accepted = await scheduler.http<{ job_id: string }>('POST', `/v1/endpoints/${ep.id}/replay`, key, {
      types: ['payment.completed'],
      since: since.toISOString(),
      until: new Date().toISOString(),
    });
    await completed(accepted.body.job_id);
    await waitFor(() => seen.length === 1, { what: 'the task published' });
    watch.unsubscribe();
    expect(await Promise.all(seen)).toEqual([{ queued: true, pending: true }]);
  });

  it('defaults to the endpoint’s own event filter and checks the range', async () => {
    const account = newId('acct');
    const ep = endpointState(account, { events: ['streak.milestone'] });
    await putEndpoint(world, ep);
    const since = new Date(Date.now() - 1000);
    const streak = event('streak.milestone', account);
    await publishEvent(streak);
    await publishEvent(event('payment.completed', account));
    const before = (await tasks()).length;
    const accepted = await scheduler.http<{ job_id: string }>(
      'POST',
      `/v1/endpoints/${ep.id}/replay`,
      ADMIN,
      {
        since: since.toISOString(),
      },
    );
    const view = await completed(accepted.body.job_id);
    expect(view).toMatchObject({ total: 1, queued: 1, params: { types: ['streak.milestone'] } });
    const added = (await tasks()).slice(before);
    expect(added.map((t) => t.data.event.id)).toEqual([streak.id]);

    const backwards = await scheduler.http('POST', `/v1/endpoints/${ep.id}/replay`, ADMIN, {
      since: new Date().toISOString(),
      until: since.toISOString(),
    });
    expect(backwards.status).toBe(400);
    const unknownType = await scheduler.http('POST', `/v1/endpoints/${ep.id}/replay`, ADMIN, {
      types: ['payment.refunded'],
      since: since.toISOString(),
    });
    expect(unknownType.status).toBe(400);
  });
});
