import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { AuditFact } from '@codeplanet/event-schemas';
import { nanos } from '@codeplanet/jetstream';
import { waitFor } from '@codeplanet/service-kit/testing';
import { rebuildProjections } from '../src/projection/rebuild.js';
import { accepted, attempt, finished, rejected, type Ids } from './support/facts.js';
import { ADMIN, startHarness, type Harness } from './support/harness.js';
import { idsOf } from './support/seed.js';

const DAY = 86_400_000;
const MIN = 60_000;
const NOW = Math.floor(Date.now() / 1000) * 1000;
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const ACCOUNT = 'acct_r';

/** What the scheduler publishes on `audit._admin` once a day. */
function purgeFact(id: string, purgeBefore: string, at = ago(0)): AuditFact {
  return {
    id,
    actor: 'scheduler',
    action: 'scheduler.retention_purge',
    account_id: null,
    target: { kind: 'scheduler', id: 'retention' },
    request_id: null,
    occurred_at: at,
    details: { purge_before: purgeBefore },
  };
}

let h: Harness;
const old = [0, 1, 2].map((i) => idsOf(ACCOUNT, i, 'ep_r1', 'payment.completed'));
const oldPending = idsOf(ACCOUNT, 3, 'ep_r1', 'payment.failed');
const straddling = idsOf(ACCOUNT, 4, 'ep_r2', 'subscription.created');
const recent = idsOf(ACCOUNT, 5, 'ep_r2', 'payment.completed');

/** A delivery tried at `at` (failed), then at `at + 1 min` (succeeded). */
async function succeededOnSecondTry(ids: Ids, at: number): Promise<void> {
  await h.outcome(accepted(ago(at), ids));
  await h.outcome(attempt(1, ago(at), { ok: false, next: ago(at - MIN) }, ids));
  await h.outcome(attempt(2, ago(at - MIN), { ok: true }, ids));
  await h.outcome(finished('succeeded', ago(at - MIN), 2, ids));
}

beforeAll(async () => {
  h = await startHarness({
    RETENTION_DAYS: '2',
    EVENTS_MAX_AGE: '1d',
    RETENTION_PURGE_BATCH_SIZE: '2',
  });
  for (const ids of old) await succeededOnSecondTry(ids, 40 * DAY);
  // Never finished, no fact for 40 days: history too.
  await h.outcome(accepted(ago(40 * DAY), oldPending));
  await h.outcome(attempt(1, ago(40 * DAY), { ok: false, next: ago(39 * DAY) }, oldPending));
  // First tried 31 days ago, last tried yesterday: still in the window.
  await h.outcome(accepted(ago(31 * DAY), straddling));
  await h.outcome(attempt(1, ago(31 * DAY), { ok: false, body: 'old body' }, straddling));
  await h.outcome(attempt(2, ago(DAY), { ok: true, body: 'new body' }, straddling));
  await h.outcome(finished('succeeded', ago(DAY), 2, straddling));
  await succeededOnSecondTry(recent, 60 * MIN);
  await h.outcome(rejected(ago(35 * DAY), 'evt_bad_old', ACCOUNT));
  await h.outcome(rejected(ago(MIN), 'evt_bad_new', ACCOUNT));
  await h.projected();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

async function count(table: string): Promise<number> {
  const [row] = await h.dataSource.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM audit.${table}`,
  );
  return row!.n;
}

async function counts(): Promise<Record<string, number>> {
  const tables = ['deliveries', 'attempts', 'events', 'rejected_events'];
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)] as const)));
}

/** Waits until the request is applied and its purge finished; returns what it purged. */
async function purged(id: string): Promise<Record<string, unknown>> {
  await h.projected();
  let result: Record<string, unknown> | undefined;
  await waitFor(
    async () => {
      const rows = await h.dataSource.query<Array<{ purged: Record<string, unknown> | null }>>(
        `SELECT purged FROM audit.purge_requests WHERE id = $1 AND completed_at IS NOT NULL`,
        [id],
      );
      result = rows[0]?.purged ?? undefined;
      return result !== undefined;
    },
    { timeoutMs: 15_000, what: `purge ${id}` },
  );
  return result!;
}

async function metric(name: string): Promise<string[]> {
  const text = await (await fetch(`${h.url}/metrics`)).text();
  return text.split('\n').filter((line) => line.startsWith(name));
}

/** What the Logs show, as the admin sees it. */
async function snapshot(): Promise<unknown> {
  const list = await h.http('GET', '/v1/deliveries?limit=200', ADMIN);
  const ids = (list.body.data as Array<{ id: string }>).map((d) => d.id);
  const details = await Promise.all(
    ids.map(async (id) => (await h.http<unknown>('GET', `/v1/deliveries/${id}`, ADMIN)).body),
  );
  const rejectedList = await h.http('GET', '/v1/rejected-events?limit=200', ADMIN);
  return { list: list.body, details, rejected: rejectedList.body, counts: await counts() };
}

describe('stream max ages from the env', () => {
  it('provisions OUTCOMES with RETENTION_DAYS and EVENTS with EVENTS_MAX_AGE', async () => {
    const { jsm, topology } = h.bus;
    expect((await jsm.streams.info(topology.stream('outcomes'))).config.max_age).toBe(nanos(2 * DAY));
    expect((await jsm.streams.info(topology.stream('events'))).config.max_age).toBe(nanos(DAY));
  });
});

describe('scheduler.retention_purge', () => {
  it('purges in batches what is older than purge_before, keeping what is recent', async () => {
    expect(await counts()).toEqual({ deliveries: 6, attempts: 11, events: 6, rejected_events: 2 });

    await h.audit(purgeFact('aud_purge_1', ago(30 * DAY)));
    const result = await purged('aud_purge_1');

    // RETENTION_PURGE_BATCH_SIZE=2: 4 deliveries take 3 statements, 7 attempts 4, 1 body 1, 4 events 3,
    // 1 rejected event 1.
    expect(result).toEqual({
      rows: { deliveries: 4, attempts: 7, events: 4, rejected_events: 1 },
      cleared_bodies: 1,
      statements: 12,
    });
    expect(await counts()).toEqual({ deliveries: 2, attempts: 4, events: 2, rejected_events: 1 });

    const list = await h.http('GET', '/v1/deliveries?limit=200', ADMIN);
    expect((list.body.data as Array<{ id: string }>).map((d) => d.id).sort()).toEqual(
      [straddling.deliveryId, recent.deliveryId].sort(),
    );
    // Still in the window: every attempt is listed, the old one without its body and headers.
    const detail = await h.http('GET', `/v1/deliveries/${straddling.deliveryId}`, ADMIN);
    expect(detail.body).toMatchObject({ attempt_count: 2, event: { id: straddling.eventId } });
    const attempts = detail.body.attempts as Array<Record<string, unknown>>;
    expect(attempts.find((a) => a.attempt === 1)).toMatchObject({
      status: 'failed',
      status_code: 500,
      response_body: null,
      request_headers: {},
    });
    expect(attempts.find((a) => a.attempt === 2)).toMatchObject({
      response_body: 'new body',
      request_headers: { 'x-codeplanet-attempt': '2' },
    });
    expect((await h.http('GET', `/v1/deliveries/${old[0]!.deliveryId}`, ADMIN)).status).toBe(404);
    const rejectedList = await h.http('GET', '/v1/rejected-events?limit=200', ADMIN);
    expect((rejectedList.body.data as Array<{ event_id: string }>).map((r) => r.event_id)).toEqual([
      'evt_bad_new',
    ]);

    const trail = await h.http('GET', '/v1/audit-trail?action=scheduler.retention_purge', ADMIN);
    expect(trail.body.data).toHaveLength(1);
    expect(await metric('audit_retention_purged_rows_total{table="attempts"}')).toEqual([
      'audit_retention_purged_rows_total{table="attempts"} 7',
    ]);
    expect(await metric('audit_retention_cleared_bodies_total')).toEqual([
      'audit_retention_cleared_bodies_total 1',
    ]);
  });

  it('the same request again (a republished fact) purges nothing more', async () => {
    const before = await snapshot();
    await h.audit(purgeFact('aud_purge_1', ago(30 * DAY)));
    expect(await purged('aud_purge_1')).toEqual({
      rows: { deliveries: 0, attempts: 0, events: 0, rejected_events: 0 },
      cleared_bodies: 0,
      statements: 5,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('an older request is covered; a cutoff after the request itself is clamped to it', async () => {
    const before = await snapshot();
    await h.audit(purgeFact('aud_purge_0', ago(35 * DAY)));
    expect(await purged('aud_purge_0')).toMatchObject({ rows: { deliveries: 0, attempts: 0 } });
    // purge_before a year after the request: it may only purge what is older than the request (40 days ago).
    await h.audit(purgeFact('aud_purge_future', ago(-365 * DAY), ago(40 * DAY)));
    expect(await purged('aud_purge_future')).toMatchObject({ rows: { deliveries: 0, attempts: 0 } });
    const [row] = await h.dataSource.query<Array<{ purge_before: Date }>>(
      `SELECT purge_before FROM audit.purge_requests WHERE id = 'aud_purge_future'`,
    );
    expect(row!.purge_before.toISOString()).toBe(ago(40 * DAY));
    expect(await snapshot()).toEqual(before);
  });

  it('a rebuild replays the requests and purges again: the same Logs as before', async () => {
    const before = await snapshot();
    const result = await rebuildProjections({
      dataSource: h.dataSource,
      js: h.bus.js,
      jsm: h.bus.jsm,
      topology: h.bus.topology,
      batchSize: 5,
      purgeBatchSize: 2,
      logger: (context) => new Logger(context),
      timeoutMs: 30_000,
    });
    // The latest cutoff runs again after the replay (the running app may already have purged the replayed rows).
    expect(result.purges.map((p) => p.id)).toEqual(['aud_purge_1']);
    await h.projected();
    expect(await snapshot()).toEqual(before);
    const open = await h.dataSource.query(`SELECT id FROM audit.purge_requests WHERE completed_at IS NULL`);
    expect(open).toEqual([]);
  });
});
