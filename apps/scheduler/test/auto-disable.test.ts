import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId, type AuditFact, type EndpointFact } from '@codeplanet/event-schemas';
import { AutoDisableJob } from '../src/maintenance/auto-disable.job.js';
import { createWorld, startLeader, type RunningScheduler, type TestWorld } from './support/harness.js';
import { attempt, endpointState, event, putEndpoint } from './support/facts.js';

const DAY = 86_400_000;

describe('auto-disable (default 3d warning, 5d disable, time given to the job)', () => {
  let world: TestWorld;
  let scheduler: RunningScheduler;
  let job: AutoDisableJob;
  const term = new AbortController().signal;
  const account = newId('acct');
  const now = Date.now();
  const ago = (ms: number): Date => new Date(now - ms);

  beforeAll(async () => {
    world = await createWorld();
    scheduler = await startLeader(world.env());
    job = scheduler.get(AutoDisableJob);
  });

  afterAll(async () => {
    await scheduler?.close();
    await world?.close();
  });

  async function failingEndpoint(failures: Date[], successes: Date[] = []) {
    const ep = endpointState(account);
    await putEndpoint(world, ep, 'endpoint.created', 'key_test', ago(10 * DAY));
    const evt = event('payment.failed', account);
    const facts = [
      ...failures.map((at) => ({ at, ok: false })),
      ...successes.map((at) => ({ at, ok: true })),
    ];
    facts.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const [i, fact] of facts.entries()) {
      await attempt(world, {
        evt,
        endpointId: ep.id,
        attempt: i + 1,
        ok: fact.ok,
        at: fact.at,
        deliveryId: `dlv_${ep.id}_${i}`,
      });
    }
    return ep;
  }

  const endpointFacts = async (id: string) =>
    (await world.read<EndpointFact>(world.topology.stream('endpoints'))).filter(
      (f) => f.data.endpoint.id === id,
    );
  const auditFor = async (id: string) =>
    (await world.read<AuditFact>(world.topology.stream('audit')))
      .filter((f) => f.data.target.id === id)
      .map((f) => f.data.action);

  it('warns first, disables after the streak is long enough, and each once', async () => {
    const warnOnly = await failingEndpoint([ago(4 * DAY), ago(60_000)]);
    const dead = await failingEndpoint([ago(6 * DAY), ago(3 * DAY), ago(60_000)]);
    const recovered = await failingEndpoint([ago(6 * DAY), ago(60_000)], [ago(2 * DAY)]);
    const blocked = await failingEndpoint([ago(6 * DAY)]);
    // Attempts the worker skipped because the endpoint was off are not the receiver's failures.
    await attempt(world, {
      evt: event('payment.failed', account),
      endpointId: blocked.id,
      attempt: 1,
      ok: false,
      error: 'endpoint_disabled',
      at: ago(1000),
    });
    await attempt(world, {
      evt: event('payment.failed', account),
      endpointId: blocked.id,
      attempt: 1,
      ok: true,
      at: ago(5 * DAY),
    });

    const first = await job.run(term, new Date(now));
    expect(first).toMatchObject({ warned: 2, disabled: 1 });
    const second = await job.run(term, new Date(now + 1000));
    expect(second).toMatchObject({ warned: 0, disabled: 0 });

    const deadFacts = await endpointFacts(dead.id);
    expect(deadFacts.map((f) => f.data.type)).toEqual(['endpoint.created', 'endpoint.disabled']);
    expect(deadFacts[1]?.data).toMatchObject({
      actor: 'scheduler',
      endpoint: { id: dead.id, enabled: false, disabled_reason: 'auto_failing', version: 2, url: dead.url },
    });
    expect(await auditFor(dead.id)).toEqual(['scheduler.auto_disable_warning', 'scheduler.auto_disable']);
    expect(await auditFor(warnOnly.id)).toEqual(['scheduler.auto_disable_warning']);
    expect((await endpointFacts(warnOnly.id)).map((f) => f.data.type)).toEqual(['endpoint.created']);
    expect(await auditFor(recovered.id)).toEqual([]);
    expect(await auditFor(blocked.id)).toEqual([]);
  });

  it('starts over after a re-enable from anyone, and disables again only if failing goes on', async () => {
    const ep = await failingEndpoint([ago(7 * DAY), ago(60_000)]);
    await job.run(term, new Date(now));
    const [, disabled] = await endpointFacts(ep.id);
    expect(disabled?.data.type).toBe('endpoint.disabled');
    const enabledAt = new Date(now);
    const state = { ...ep, enabled: true, disabled_reason: null, version: 3 };
    await putEndpoint(world, state, 'endpoint.enabled', 'key_owner', enabledAt);

    // Other endpoints of this suite are affected by these simulated future times; only `ep` is checked.
    const actions = () => auditFor(ep.id);
    await job.run(term, new Date(now + 6 * DAY));
    expect(await actions()).toEqual(['scheduler.auto_disable_warning', 'scheduler.auto_disable']);

    const evt = event('payment.failed', account);
    await attempt(world, {
      evt,
      endpointId: ep.id,
      attempt: 1,
      ok: false,
      at: new Date(now + 60_000),
      deliveryId: 'dlv_after_1',
    });
    await job.run(term, new Date(now + 2 * DAY));
    expect((await actions()).length).toBe(2);
    await job.run(term, new Date(now + 4 * DAY));
    expect((await actions()).slice(2)).toEqual(['scheduler.auto_disable_warning']);
    await job.run(term, new Date(now + 6 * DAY));
    await job.run(term, new Date(now + 7 * DAY));
    expect((await actions()).slice(2)).toEqual(['scheduler.auto_disable_warning', 'scheduler.auto_disable']);
    const facts = await endpointFacts(ep.id);
    expect(facts.map((f) => f.data.type)).toEqual([
      'endpoint.created',
      'endpoint.disabled',
      'endpoint.enabled',
      'endpoint.disabled',
    ]);
    expect(facts[3]?.data.endpoint.version).toBe(4);
  });

  it('also starts over when an update turns the endpoint back on', async () => {
    const ep = await failingEndpoint([ago(7 * DAY), ago(60_000)]);
    await job.run(term, new Date(now));
    expect((await endpointFacts(ep.id)).map((f) => f.data.type)).toEqual([
      'endpoint.created',
      'endpoint.disabled',
    ]);
    const state = {
      ...ep,
      url: 'http://127.0.0.1:9/fixed',
      enabled: true,
      disabled_reason: null,
      version: 3,
    };
    await putEndpoint(world, state, 'endpoint.updated', 'key_owner', new Date(now));
    await job.run(term, new Date(now + DAY));
    expect((await endpointFacts(ep.id)).map((f) => f.data.type)).toEqual([
      'endpoint.created',
      'endpoint.disabled',
      'endpoint.updated',
    ]);
  });
});
