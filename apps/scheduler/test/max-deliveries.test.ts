import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AckPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import {
  deliveryIdFor,
  newId,
  type AuditFact,
  type DeliveryTask,
  type OutcomeFact,
} from '@codeplanet/event-schemas';
import { waitFor } from '@codeplanet/service-kit/testing';
import { AdvisoryReconcileJob } from '../src/maintenance/advisory-reconcile.job.js';
import { createWorld, startLeader, type RunningScheduler, type TestWorld } from './support/harness.js';
import { accept, attempt, event, finalFact } from './support/facts.js';

/**
 * A RETRIES consumer with max_deliver 2 whose messages are never answered (a worker dying on its last attempt):
 * the server raises the real max-deliveries advisory, which the scheduler captures and reconciles.
 */
describe('max-deliveries advisories', () => {
  let world: TestWorld;
  let scheduler: RunningScheduler;
  const term = new AbortController().signal;
  const consumer = 'worker-retries';

  beforeAll(async () => {
    world = await createWorld();
    scheduler = await startLeader(world.env({ ADVISORY_GRACE: '50ms' }));
    await world.jsm.consumers.add(world.topology.stream('retries'), {
      durable_name: consumer,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(150),
      max_deliver: 2,
    });
  });

  afterAll(async () => {
    await scheduler?.close();
    await world?.close();
  });

  async function abandon(task: DeliveryTask): Promise<number> {
    const seq = await world.publish(world.topology.retry(task.endpoint_id), task);
    const pull = await world.js.consumers.get(world.topology.stream('retries'), consumer);
    for (let delivery = 1; delivery <= 2; delivery++) {
      const msg = await pull.next({ expires: 3_000 });
      expect(msg?.seq).toBe(seq);
    }
    // A pull consumer notices the exhausted message (and raises the advisory) when it next has a pull to serve.
    expect(await pull.next({ expires: 1_000 })).toBeNull();
    return seq;
  }

  function taskFor(accountId: string, endpointId: string, cause?: DeliveryTask['cause']): DeliveryTask {
    const evt = event('payment.completed', accountId);
    return {
      delivery_id: deliveryIdFor(evt.id, endpointId),
      endpoint_id: endpointId,
      account_id: accountId,
      event: evt,
      first_attempt: 2,
      ...(cause ? { cause } : {}),
      enqueued_at: Date.now() - 1000,
    };
  }

  const outcomes = () => world.read<OutcomeFact>(world.topology.stream('outcomes'));

  it('records delivery.failed with the worker’s msgID when nobody else did, and drops the dead task', async () => {
    const account = newId('acct');
    const endpointId = newId('ep');
    const task = taskFor(account, endpointId, { kind: 'recover', job_id: 'job_x' });
    const seq = await abandon(task);
    const job = scheduler.get(AdvisoryReconcileJob);
    const result = await waitFor(
      async () => {
        const r = await job.run(term);
        return r.reconciled === 1 ? r : null;
      },
      { what: 'advisory reconciled' },
    );
    expect(result).toMatchObject({ advisories: 1, reconciled: 1 });

    const failed = (await outcomes()).filter((o) => o.data.type === 'delivery.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      subject: world.topology.outcome(endpointId),
      msgId: `${task.delivery_id}:job_x:2:delivery.failed`,
      data: { delivery_id: task.delivery_id, event_id: task.event.id, attempts: 2, account_id: account },
    });
    expect(
      await world.jsm.streams.getMessage(world.topology.stream('retries'), { seq }).catch(() => null),
    ).toBeNull();
    const audit = await world.read<AuditFact>(world.topology.stream('audit'));
    expect(audit.map((f) => f.data.action)).toContain('scheduler.max_deliveries_reconciled');

    expect(await job.run(term)).toEqual({ advisories: 0 });
    await waitFor(async () => {
      const { rows } = await world.sql.query(`SELECT status FROM scheduler.deliveries WHERE id = $1`, [
        task.delivery_id,
      ]);
      return rows[0]?.status === 'failed';
    });
  });

  /** The reconcile job finds the delivery already final and publishes nothing. */
  const expectLeftAlone = async (): Promise<void> => {
    const before = (await outcomes()).length;
    const job = scheduler.get(AdvisoryReconcileJob);
    const result = await waitFor(
      async () => {
        const r = await job.run(term);
        return r.already_final === 1 ? r : null;
      },
      { what: 'advisory checked' },
    );
    expect(result).toMatchObject({ already_final: 1 });
    expect((await outcomes()).length).toBe(before);
  };

  it('leaves a delivery alone when its final outcome was already recorded', async () => {
    const account = newId('acct');
    const endpointId = newId('ep');
    const task = taskFor(account, endpointId);
    await abandon(task);
    await finalFact(world, task.event, endpointId, false, { attempts: 6 });
    await expectLeftAlone();
  });

  it('leaves a delivery alone that succeeded on a retry after failing first (its row is kept)', async () => {
    const account = newId('acct');
    const endpointId = newId('ep');
    const task = taskFor(account, endpointId);
    await accept(world, task.event, [endpointId], new Date(task.enqueued_at));
    await attempt(world, { evt: task.event, endpointId, attempt: 1, ok: false, next: new Date() });
    await abandon(task);
    await attempt(world, { evt: task.event, endpointId, attempt: 2, ok: true });
    await finalFact(world, task.event, endpointId, true, { attempts: 2 });
    await expectLeftAlone();
  });
});
