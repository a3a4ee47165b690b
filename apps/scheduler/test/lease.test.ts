import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { newId, type AuditFact, type EndpointFact } from '@codeplanet/event-schemas';
import { waitFor } from '@codeplanet/service-kit/testing';
import { APP_DIR, spawnScheduler, type Child } from './support/child.js';
import { createWorld, type TestWorld } from './support/harness.js';
import { attempt, endpointState, event, putEndpoint } from './support/facts.js';

interface Run {
  job: string;
  instance_id: string;
  started_at: Date;
  finished_at: Date | null;
}

/** Two real processes on one database and stream prefix, jobs every 200 ms; the leader is killed with SIGKILL. */
describe('one active scheduler among replicas', () => {
  let world: TestWorld;
  const children: Child[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, ['node_modules/typescript-7/bin/tsc', '-p', 'tsconfig.build.json'], {
      cwd: APP_DIR,
    });
    world = await createWorld();
  }, 120_000);

  afterAll(async () => {
    for (const child of children) child.proc.kill('SIGKILL');
    await world?.close();
  });

  const runs = async (): Promise<Run[]> =>
    (
      await world.sql.query<Run>(
        `SELECT job, instance_id, started_at, finished_at FROM scheduler.job_runs ORDER BY started_at`,
      )
    ).rows;

  it('runs every job on exactly one replica and hands over within seconds of a SIGKILL', async () => {
    const env = world.env({
      PORT: '0',
      LOG_LEVEL: 'info',
      LEASE_CHECK_INTERVAL: '200ms',
      AUTO_DISABLE_CHECK_INTERVAL: '200ms',
      STUCK_CHECK_INTERVAL: '200ms',
      ADVISORY_CHECK_INTERVAL: '200ms',
      RETENTION_CHECK_INTERVAL: '300ms',
      AUTO_DISABLE_WARN_AFTER: '1s',
      AUTO_DISABLE_AFTER: '2s',
    });
    children.push(spawnScheduler(env), spawnScheduler(env));
    await Promise.all(children.map((c) => c.url));
    const leaderIndex = await waitFor(
      async () => {
        const states = await Promise.all(children.map((c) => c.leader()));
        return states.filter(Boolean).length === 1 ? states.indexOf(true) + 1 : 0;
      },
      { timeoutMs: 20_000, what: 'one leader' },
    );
    const leader = children[leaderIndex - 1] as Child;
    const follower = children[2 - leaderIndex] as Child;

    // A failing endpoint, watched by both processes: warned once, disabled once, by the leader.
    const account = newId('acct');
    const ep = endpointState(account);
    await putEndpoint(world, ep);
    const evt = event('payment.failed', account);
    await attempt(world, { evt, endpointId: ep.id, attempt: 1, ok: false });
    const disabled = await waitFor(
      async () => {
        const facts = await world.read<EndpointFact>(world.topology.stream('endpoints'));
        return facts.find((f) => f.data.type === 'endpoint.disabled');
      },
      { timeoutMs: 20_000, what: 'auto-disable' },
    );
    expect(disabled.data).toMatchObject({
      actor: 'scheduler',
      endpoint: { disabled_reason: 'auto_failing' },
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const before = await runs();
    expect(new Set(before.map((r) => r.instance_id)).size).toBe(1);
    expect(before.filter((r) => r.job === 'auto_disable').length).toBeGreaterThan(3);
    const audit = await world.read<AuditFact>(world.topology.stream('audit'));
    // Plus the day's retention purge request, asked at election.
    expect(audit.map((f) => f.data.action).sort()).toEqual([
      'scheduler.auto_disable',
      'scheduler.auto_disable_warning',
      'scheduler.retention_purge',
    ]);
    expect((await world.read<EndpointFact>(world.topology.stream('endpoints'))).length).toBe(2);
    expect(await follower.leader()).toBe(false);

    const killedAt = Date.now();
    leader.proc.kill('SIGKILL');
    await leader.exited;
    await waitFor(() => follower.leader(), { timeoutMs: 10_000, intervalMs: 100, what: 'failover' });
    const handover = Date.now() - killedAt;
    expect(handover).toBeLessThan(5_000);

    const successor = await waitFor(
      async () => {
        const all = await runs();
        const oldId = before[0]?.instance_id;
        const fresh = all.filter((r) => r.instance_id !== oldId);
        return fresh.length >= 4 ? { all, oldId, fresh } : null;
      },
      { what: 'successor runs' },
    );
    // Never both: every run of the killed leader started before the successor's first run.
    const lastOld = Math.max(
      ...successor.all.filter((r) => r.instance_id === successor.oldId).map((r) => r.started_at.getTime()),
    );
    const firstNew = Math.min(...successor.fresh.map((r) => r.started_at.getTime()));
    expect(firstNew).toBeGreaterThan(lastOld);
    expect(firstNew).toBeGreaterThanOrEqual(killedAt - 50);
    expect(new Set(successor.fresh.map((r) => r.instance_id)).size).toBe(1);

    // The successor has the whole state: nothing is done twice (not even the day's purge request).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await world.read(world.topology.stream('audit'))).length).toBe(3);
    expect((await world.read(world.topology.stream('endpoints'))).length).toBe(2);

    follower.proc.kill('SIGTERM');
    expect(await follower.exited).toBe(0);
    expect(follower.output.join('')).toMatch(/stepped down: shutting down/);
  }, 120_000);

  it('refuses to start on a bad variable, naming it', async () => {
    const child = spawnScheduler(world.env({ AUTO_DISABLE_AFTER: 'soon', PORT: '0' }));
    children.push(child);
    expect(await child.exited).toBe(1);
    expect(child.output.join('')).toMatch(/AUTO_DISABLE_AFTER="soon"/);
  }, 60_000);
});
