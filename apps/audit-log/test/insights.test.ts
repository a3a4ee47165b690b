import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { attempt, endpointFact, keyRevoked, type Ids } from './support/facts.js';
import { ADMIN, startHarness, type Harness } from './support/harness.js';
import { A, B, idsOf, seed, type Seeded } from './support/seed.js';
import { openSse } from './support/sse.js';

let h: Harness;
let s: Seeded;
let keyC: string;
const C = 'acct_c';

beforeAll(async () => {
  h = await startHarness();
  s = await seed(h);
  keyC = await h.account(C);
  await h.endpoint(endpointFact('endpoint.created', 'ep_c1', C, 1, new Date().toISOString()));
  // 100 attempts of 1..100 ms over the last 50 minutes; every 4th succeeds, the last one too.
  const now = Date.now();
  const ids: Ids = idsOf(C, 0, 'ep_c1', 'payment.completed');
  for (let n = 1; n <= 100; n++) {
    const started = new Date(now - (100 - n) * 30_000).toISOString();
    const ok = n % 4 === 0;
    await h.outcome(attempt(n, started, { ok, durationMs: n, next: ok ? null : started }, ids));
  }
  await h.projected();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe('GET /v1/endpoints/:id/stats', () => {
  it('gives success rates, nearest-rank latency percentiles and 24 hourly buckets', async () => {
    const res = await h.http('GET', '/v1/endpoints/ep_c1/stats', keyC);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      endpoint_id: 'ep_c1',
      window: '24h',
      success_rate: 1,
      deliveries: { total: 1, succeeded: 1, failed: 0, pending: 0 },
      attempts: { total: 100, succeeded: 25, failed: 75, success_rate: 0.25 },
      latency_ms: { p50: 50, p95: 95, p99: 99 },
    });
    expect(res.body.hourly).toHaveLength(24);
    const hourly = res.body.hourly as Array<{ attempts: number; succeeded: number; failed: number }>;
    expect(hourly.reduce((sum, b) => sum + b.attempts, 0)).toBe(100);
    expect(hourly.reduce((sum, b) => sum + b.succeeded, 0)).toBe(25);
  });

  it('honours ?window=', async () => {
    const res = await h.http('GET', '/v1/endpoints/ep_c1/stats?window=10m', keyC);
    expect(res.body.window).toBe('10m');
    expect(res.body.attempts.total).toBe(20);
    expect(res.body.latency_ms).toEqual({ p50: 90, p95: 99, p99: 100 });
    expect(sumAttempts(res.body.hourly)).toBe(100);
  });

  it('rejects a bad window and unknown endpoints', async () => {
    expect((await h.http('GET', '/v1/endpoints/ep_c1/stats?window=1y', keyC)).status).toBe(400);
    expect((await h.http('GET', '/v1/endpoints/ep_c1/stats?window=90d', keyC)).status).toBe(400);
    expect((await h.http('GET', '/v1/endpoints/ep_nope/stats', ADMIN)).status).toBe(404);
    expect((await h.http('GET', '/v1/endpoints/ep_c1/stats', s.keyA)).status).toBe(404);
  });

  it('admins read any endpoint; accounts their own', async () => {
    expect((await h.http('GET', '/v1/endpoints/ep_c1/stats', ADMIN)).status).toBe(200);
    const own = await h.http('GET', '/v1/endpoints/ep_a1/stats', s.keyA);
    expect(own.body.deliveries.total).toBe(6);
  });
});

describe('admin lists', () => {
  it('GET /v1/audit-trail with filters and pages', async () => {
    const all = await h.http('GET', '/v1/audit-trail', ADMIN);
    expect(idsOfPage(all.body)).toEqual(['aud_3', 'aud_2', 'aud_1']);
    expect(all.body.data[2]).toMatchObject({
      actor: 'key_1',
      action: 'endpoint.create',
      account_id: A,
      target: { kind: 'endpoint', id: 'ep_x' },
      request_id: 'req_1',
      occurred_at: s.at(1),
    });
    const byAccount = await h.http('GET', `/v1/audit-trail?account_id=${A}&action=endpoint.create`, ADMIN);
    expect(idsOfPage(byAccount.body)).toEqual(['aud_1']);
    const first = await h.http('GET', '/v1/audit-trail?limit=2', ADMIN);
    const second = await h.http('GET', `/v1/audit-trail?limit=2&cursor=${first.body.next_cursor}`, ADMIN);
    expect(second.body).toEqual({ data: [expect.objectContaining({ id: 'aud_1' })], next_cursor: null });
  });

  it('GET /v1/rejected-events', async () => {
    const all = await h.http('GET', '/v1/rejected-events', ADMIN);
    expect(all.body.data).toEqual([
      expect.objectContaining({ id: expect.stringMatching(/^seq_\d+$/), event_id: null }),
      expect.objectContaining({
        id: 'evt_bad_a',
        account_id: A,
        raw: '{"id":"bad"}',
        errors: [{ field: 'data.amount', message: 'is required' }],
      }),
    ]);
    const onlyA = await h.http('GET', `/v1/rejected-events?account_id=${A}`, ADMIN);
    expect(onlyA.body.data).toHaveLength(1);
  });
});

describe('who am I, and revoked keys', () => {
  it('GET /v1/me', async () => {
    expect((await h.http('GET', '/v1/me', s.keyA)).body).toEqual({
      kind: 'account',
      account_id: A,
      key_id: 'key_acct_a',
    });
    expect((await h.http('GET', '/v1/me', ADMIN)).body).toEqual({ kind: 'admin' });
  });

  it('a revoked key stops working once projected', async () => {
    expect((await h.http('GET', '/v1/deliveries', keyC)).status).toBe(200);
    await h.publish(h.bus.topology.account(C), keyRevoked(`key_${C}`, C, new Date().toISOString()));
    await h.projected();
    expect((await h.http('GET', '/v1/deliveries', keyC)).status).toBe(401);
  });
});

describe('GET /v1/stream (live tail)', () => {
  it('streams the caller own delivery and attempt changes after they commit', async () => {
    const sse = await openSse(`${h.url}/v1/stream`, s.keyA);
    expect(sse.status).toBe(200);
    await sse.until((events) => events.some((e) => e.event === 'ready'));
    const now = Date.now();
    const a = idsOf(A, 90, 'ep_a1', 'payment.completed');
    const b = idsOf(B, 90, 'ep_b1', 'payment.completed');
    await h.outcome(attempt(1, new Date(now).toISOString(), { ok: true }, b));
    await h.outcome(attempt(1, new Date(now).toISOString(), { ok: true }, a));
    const events = await sse.until((all) => all.some((e) => e.event === 'attempt'));
    await h.projected();
    sse.close();
    const rows = events.filter((e) => e.event !== 'ready').map((e) => e.data as Record<string, unknown>);
    expect(rows.every((row) => row.account_id === A)).toBe(true);
    expect(events.find((e) => e.event === 'delivery')?.data).toMatchObject({
      id: a.deliveryId,
      status: 'succeeded',
    });
    expect(events.find((e) => e.event === 'attempt')?.data).toMatchObject({
      delivery_id: a.deliveryId,
      attempt: 1,
      status: 'succeeded',
    });
  });

  it('narrows to one endpoint, and takes ?access_token= for EventSource', async () => {
    const sse = await openSse(`${h.url}/v1/stream?endpoint_id=ep_a2&access_token=${s.keyA}`);
    expect(sse.status).toBe(200);
    await sse.until((events) => events.some((e) => e.event === 'ready'));
    const now = new Date().toISOString();
    await h.outcome(attempt(1, now, { ok: true }, idsOf(A, 91, 'ep_a1', 'payment.completed')));
    await h.outcome(attempt(1, now, { ok: false, next: now }, idsOf(A, 92, 'ep_a2', 'payment.completed')));
    const events = await sse.until((all) => all.some((e) => e.event === 'attempt'));
    sse.close();
    const endpoints = events
      .filter((e) => e.event !== 'ready')
      .map((e) => (e.data as { endpoint_id: string }).endpoint_id);
    expect(new Set(endpoints)).toEqual(new Set(['ep_a2']));
  });

  it('admins follow everything', async () => {
    const sse = await openSse(`${h.url}/v1/stream`, ADMIN);
    await sse.until((events) => events.some((e) => e.event === 'ready'));
    await h.outcome(
      attempt(1, new Date().toISOString(), { ok: true }, idsOf(B, 93, 'ep_b1', 'payment.completed')),
    );
    const events = await sse.until((all) => all.some((e) => e.event === 'attempt'));
    sse.close();
    expect(events.find((e) => e.event === 'attempt')?.data).toMatchObject({ account_id: B });
  });
});

function idsOfPage(page: { data: Array<{ id: string }> }): string[] {
  return page.data.map((row) => row.id);
}

function sumAttempts(hourly: Array<{ attempts: number }>): number {
  return hourly.reduce((sum, bucket) => sum + bucket.attempts, 0);
}
