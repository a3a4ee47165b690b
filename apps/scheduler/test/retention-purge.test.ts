import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AuditFact } from '@codeplanet/event-schemas';
import { nanos } from '@codeplanet/jetstream';
import { RetentionJob, purgeWindow } from '../src/maintenance/retention.job.js';
import {
  createWorld,
  startLeader,
  startScheduler,
  type RunningScheduler,
  type TestWorld,
} from './support/harness.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('retention: purge requests to audit-log and stream max ages', () => {
  let world: TestWorld;
  let scheduler: RunningScheduler;
  const term = new AbortController().signal;

  beforeAll(async () => {
    world = await createWorld();
    scheduler = await startLeader(world.env({ RETENTION_DAYS: '2', EVENTS_MAX_AGE: '1d' }));
  });

  afterAll(async () => {
    await scheduler?.close();
    await world?.close();
  });

  const purgeFacts = async () =>
    (await world.read<AuditFact>(world.topology.stream('audit'))).filter(
      (f) => f.data.action === 'scheduler.retention_purge',
    );
  const maxAgeMs = async (key: 'events' | 'outcomes'): Promise<number> =>
    (await world.jsm.streams.info(world.topology.stream(key))).config.max_age;

  it('provisions OUTCOMES with RETENTION_DAYS and EVENTS with EVENTS_MAX_AGE', async () => {
    expect(await maxAgeMs('outcomes')).toBe(nanos(2 * DAY));
    expect(await maxAgeMs('events')).toBe(nanos(DAY));
  });

  it('asks once per day on audit._admin, with a msgID that is the fact id', async () => {
    // The leader's first periodic run, at election, asked for today's purge.
    const [first, ...others] = await purgeFacts();
    expect(others).toEqual([]);
    const asked = new Date(first!.data.occurred_at);
    expect(first).toMatchObject({
      subject: world.topology.audit('_admin'),
      msgId: first!.data.id,
      data: {
        actor: 'scheduler',
        account_id: null,
        target: { kind: 'scheduler', id: 'retention' },
        details: {
          purge_before: purgeWindow(asked, 2 * DAY).purgeBefore.toISOString(),
          retention_days: 2,
        },
      },
    });

    // A second run the same day: nothing new.
    const job = scheduler.get(RetentionJob);
    expect(await job.run(term, asked)).toMatchObject({
      purge_request: { id: first!.data.id, published: false },
    });
    expect(await purgeFacts()).toHaveLength(1);
  });

  it('with compressed time: one request per day-window, nothing new within it', async () => {
    const job = scheduler.get(RetentionJob);
    const day1 = Date.parse('2031-03-10T05:00:00Z');
    const first = await job.run(term, new Date(day1));
    expect(first.purge_request).toMatchObject({ purge_before: '2031-03-08T00:00:00.000Z', published: true });
    for (const later of [HOUR, 10 * HOUR, 18 * HOUR + 59 * 60_000]) {
      expect((await job.run(term, new Date(day1 + later))).purge_request).toEqual({
        ...(first.purge_request as object),
        published: false,
      });
    }
    const next = await job.run(term, new Date(day1 + 19 * HOUR + 60_000)); // 2031-03-11T00:01Z
    expect(next.purge_request).toMatchObject({ purge_before: '2031-03-09T00:00:00.000Z', published: true });

    const facts = await purgeFacts();
    expect(facts.map((f) => f.data.details?.purge_before).slice(1)).toEqual([
      '2031-03-08T00:00:00.000Z',
      '2031-03-09T00:00:00.000Z',
    ]);
    expect(new Set(facts.map((f) => f.msgId)).size).toBe(3);
  });

  it('a run that lost its record publishes the same id again, and JetStream drops it', async () => {
    const job = scheduler.get(RetentionJob);
    await world.sql.query(`DELETE FROM scheduler.purge_requests WHERE purge_before = '2031-03-09T00:00:00Z'`);
    const again = await job.run(term, new Date('2031-03-11T08:00:00Z'));
    const facts = await purgeFacts();
    expect(again.purge_request).toMatchObject({ id: facts[2]!.data.id });
    expect(facts).toHaveLength(3);
  });

  it('a restart with other values updates the streams in place', async () => {
    const outcomes = world.topology.stream('outcomes');
    const created = (await world.jsm.streams.info(outcomes)).created;
    await scheduler.close();
    scheduler = await startScheduler(world.env({ RETENTION_DAYS: '3', EVENTS_MAX_AGE: '36h' }));
    expect(await maxAgeMs('outcomes')).toBe(nanos(3 * DAY));
    expect(await maxAgeMs('events')).toBe(nanos(36 * HOUR));
    expect((await world.jsm.streams.info(outcomes)).created).toBe(created);
  });
});
