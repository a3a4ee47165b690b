import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId, type AuditFact, type DeliveryTask } from '@codeplanet/event-schemas';
import { waitFor } from '@codeplanet/service-kit/testing';
import type { JobView } from '../src/jobs/dto.js';
import {
  ADMIN,
  createWorld,
  startLeader,
  startScheduler,
  type RunningScheduler,
  type TestWorld,
} from './support/harness.js';
import {
  accept,
  attempt,
  endpointState,
  event,
  failedDelivery,
  finalFact,
  putAccountKey,
  putEndpoint,
} from './support/facts.js';

describe('recover', () => {
  let world: TestWorld;
  let leader: RunningScheduler;
  let replica: RunningScheduler;

  beforeAll(async () => {
    world = await createWorld();
    leader = await startLeader(world.env());
    replica = await startScheduler(world.env());
  });

  afterAll(async () => {
    await replica?.close();
    await leader?.close();
    await world?.close();
  });

  const job = async (client: RunningScheduler, id: string, token: string): Promise<JobView> =>
    (await client.http<JobView>('GET', `/v1/jobs/${id}`, token)).body;

  it('gives every failed delivery since T a fresh ladder, once, for the owner only', async () => {
    const account = newId('acct');
    const stranger = newId('acct');
    const key = await putAccountKey(world, account);
    const strangerKey = await putAccountKey(world, stranger);
    const ep = endpointState(account);
    const otherEp = endpointState(account);
    await putEndpoint(world, ep);
    await putEndpoint(world, otherEp);
    const since = new Date(Date.now() - 60 * 60_000);
    const recent = new Date(Date.now() - 10 * 60_000);
    const events = [0, 1, 2].map(() => event('payment.completed', account));
    const failed = [];
    for (const evt of events) failed.push(await failedDelivery(world, evt, ep.id, recent));
    await failedDelivery(world, event('payment.failed', account), ep.id, new Date(since.getTime() - 60_000));
    await failedDelivery(world, event('payment.failed', account), otherEp.id, recent);
    const fine = event('streak.milestone', account);
    await accept(world, fine, [ep.id]);
    await attempt(world, { evt: fine, endpointId: ep.id, attempt: 1, ok: true });
    await finalFact(world, fine, ep.id, true, { attempts: 1 });

    await waitFor(async () => (await leader.http('GET', '/v1/jobs/job_none', key)).status === 404, {
      what: 'key projected',
    });
    const denied = await replica.http('POST', `/v1/endpoints/${ep.id}/recover`, strangerKey, {
      since: since.toISOString(),
    });
    expect(denied.status).toBe(404);

    // Two replicas take the same request at once: one job (or a second that finds nothing left).
    const [a, b] = await Promise.all([
      leader.http<{ job_id: string }>('POST', `/v1/endpoints/${ep.id}/recover`, key, {
        since: since.toISOString(),
      }),
      replica.http<{ job_id: string }>('POST', `/v1/endpoints/${ep.id}/recover`, key, {
        since: since.toISOString(),
      }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const jobId = a.body.job_id;
    const done = await waitFor(
      async () => {
        const view = await job(replica, jobId, key);
        return view.status === 'completed' ? view : null;
      },
      { what: 'recover completed' },
    );
    expect(done).toMatchObject({ kind: 'recover', total: 3, queued: 3, skipped: 0, done: 0 });
    if (b.body.job_id !== jobId) {
      await waitFor(async () => (await job(replica, b.body.job_id, key)).status === 'completed');
      expect((await job(replica, b.body.job_id, key)).queued).toBe(0);
    }

    const tasks = await world.read<DeliveryTask>(world.topology.stream('deliveries'));
    expect(tasks).toHaveLength(3);
    expect(tasks.map((t) => t.data.delivery_id).sort()).toEqual([...failed].sort());
    for (const task of tasks) {
      expect(task.subject).toBe(world.topology.delivery(ep.id));
      expect(task.msgId).toBe(`${task.data.delivery_id}:recover:${jobId}`);
      expect(task.data).toMatchObject({
        first_attempt: 1,
        cause: { kind: 'recover', job_id: jobId },
        account_id: account,
      });
      expect(events.map((e) => e.id)).toContain(task.data.event.id);
    }

    // The same recover again finds nothing failed: every delivery is on its new ladder.
    const again = await leader.http<{ job_id: string }>('POST', `/v1/endpoints/${ep.id}/recover`, ADMIN, {
      since: since.toISOString(),
    });
    expect(again.status).toBe(202);
    const second = await waitFor(async () => {
      const view = await job(leader, again.body.job_id, ADMIN);
      return view.status === 'completed' ? view : null;
    });
    expect(second).toMatchObject({ total: 0, queued: 0 });
    expect(await world.read(world.topology.stream('deliveries'))).toHaveLength(3);

    // Progress follows the new ladders' outcomes.
    const [first, secondEvt, third] = events as [(typeof events)[0], (typeof events)[0], (typeof events)[0]];
    await attempt(world, { evt: first, endpointId: ep.id, attempt: 1, ok: true });
    await finalFact(world, first, ep.id, true, { attempts: 1 });
    await finalFact(world, secondEvt, ep.id, true, { attempts: 2 });
    await attempt(world, {
      evt: third,
      endpointId: ep.id,
      attempt: 1,
      ok: false,
      next: new Date(Date.now() + 60_000),
    });
    const progress = await waitFor(
      async () => {
        const view = await job(leader, jobId, key);
        return view.done === 2 ? view : null;
      },
      { what: 'progress' },
    );
    expect(progress).toMatchObject({ done: 2, succeeded: 2, failed: 0 });
    expect((await job(leader, jobId, key)).error).toBeNull();
    expect((await leader.http('GET', `/v1/jobs/${jobId}`, strangerKey)).status).toBe(404);

    const audit = await world.read<AuditFact>(world.topology.stream('audit'));
    const actions = audit.filter((f) => f.data.details?.job_id === jobId).map((f) => f.data.action);
    expect(actions).toEqual(
      expect.arrayContaining(['scheduler.recover.requested', 'scheduler.recover.completed']),
    );
    // Besides the retention purge request every leader files under `_admin` once a day.
    const accountFacts = audit.filter((f) => f.data.action !== 'scheduler.retention_purge');
    expect(accountFacts.every((f) => f.subject === world.topology.audit(account))).toBe(true);
  });

  it('refuses a disabled endpoint and bad input', async () => {
    const account = newId('acct');
    const ep = endpointState(account, { enabled: false, disabled_reason: 'manual' });
    await putEndpoint(world, ep);
    const disabled = await leader.http('POST', `/v1/endpoints/${ep.id}/recover`, ADMIN, {
      since: new Date().toISOString(),
    });
    expect(disabled.status).toBe(409);
    const bad = await leader.http<{ error: { code: string } }>(
      'POST',
      `/v1/endpoints/${ep.id}/recover`,
      ADMIN,
      {
        since: 'last week',
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect((await leader.http('POST', `/v1/endpoints/${ep.id}/recover`, null, {})).status).toBe(401);
    expect(
      (
        await leader.http('POST', '/v1/endpoints/ep_missing/recover', ADMIN, {
          since: new Date().toISOString(),
        })
      ).status,
    ).toBe(404);
  });
});
