import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN, startHarness, type Harness } from './support/harness.js';
import { A, B, seed, STATUS_OF, TYPES, type Seeded } from './support/seed.js';

let h: Harness;
let s: Seeded;

beforeAll(async () => {
  h = await startHarness();
  s = await seed(h);
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

const ids = (body: { data: Array<{ id: string }> }): string[] => body.data.map((d) => d.id);

async function allPages(path: string, token: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const query: string = `${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await h.http('GET', path + query, token);
    expect(res.status).toBe(200);
    pages.push(ids(res.body));
    cursor = res.body.next_cursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe('GET /v1/deliveries', () => {
  it('lists the account own deliveries, newest first, with the contract fields', async () => {
    const res = await h.http('GET', '/v1/deliveries', s.keyA);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(s.aIds);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.data[0]).toEqual({
      id: 'dlv_acct_a_11',
      event_id: 'evt_acct_a_11',
      endpoint_id: 'ep_a2',
      account_id: A,
      event_type: TYPES[11 % 3],
      status: 'pending',
      attempts: 1,
      last_status_code: 503,
      last_error: 'http_status',
      last_attempt_at: s.at(50, 10),
      next_attempt_at: s.at(50, 3_600_000),
      created_at: s.at(50),
      updated_at: s.at(50, 22),
    });
  });

  it('admins see every account and may narrow to one', async () => {
    const all = await h.http('GET', '/v1/deliveries?limit=200', ADMIN);
    expect(new Set(ids(all.body))).toEqual(new Set([...s.aIds, ...s.bIds]));
    const onlyB = await h.http('GET', `/v1/deliveries?account_id=${B}`, ADMIN);
    expect(ids(onlyB.body)).toEqual(s.bIds);
  });

  it.each([
    ['endpoint_id=ep_a1', (i: number) => i % 2 === 0],
    ['event_type=payment.failed', (i: number) => TYPES[i % 3] === 'payment.failed'],
    ['status=succeeded', (i: number) => STATUS_OF[i % 3] === 'succeeded'],
    ['status=failed', (i: number) => STATUS_OF[i % 3] === 'failed'],
    ['status=pending', (i: number) => STATUS_OF[i % 3] === 'pending'],
    ['event_id=evt_acct_a_04', (i: number) => i === 4],
    ['endpoint_id=ep_a2&status=failed', (i: number) => i % 2 === 1 && STATUS_OF[i % 3] === 'failed'],
  ])('filters by %s', async (query, keep) => {
    const res = await h.http('GET', `/v1/deliveries?${query}`, s.keyA);
    expect(res.status).toBe(200);
    const expected = s.aIds.filter((id) => keep(Number(id.slice(-2))));
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(res.body)).toEqual(expected);
  });

  it('filters by time: since inclusive, until exclusive', async () => {
    const since = encodeURIComponent(s.at(20));
    const until = encodeURIComponent(s.at(35));
    const res = await h.http('GET', `/v1/deliveries?since=${since}&until=${until}`, s.keyA);
    expect(ids(res.body)).toEqual(['dlv_acct_a_06', 'dlv_acct_a_05', 'dlv_acct_a_04']);
  });

  it.each([
    'status=bogus',
    'event_type=user.created',
    'since=yesterday',
    'until=2026-13-01T00:00:00Z',
    'limit=0',
    'limit=201',
    'limit=ten',
    'unknown=1',
  ])('rejects %s with 400 validation_failed', async (query) => {
    const res = await h.http('GET', `/v1/deliveries?${query}`, s.keyA);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});

describe('pagination', () => {
  it('limit=1 walks every row once, in order, and the last page has no cursor', async () => {
    const pages = await allPages('/v1/deliveries', s.keyA, 1);
    expect(pages.flat()).toEqual(s.aIds);
    expect(pages.every((p) => p.length === 1)).toBe(true);
  });

  it('an exact page size gives one page with next_cursor null', async () => {
    const res = await h.http('GET', `/v1/deliveries?limit=${s.aIds.length}`, s.keyA);
    expect(ids(res.body)).toEqual(s.aIds);
    expect(res.body.next_cursor).toBeNull();
  });

  it('one row short gives a cursor to a last page of one', async () => {
    const pages = await allPages('/v1/deliveries', s.keyA, s.aIds.length - 1);
    expect(pages.map((p) => p.length)).toEqual([s.aIds.length - 1, 1]);
    expect(pages.flat()).toEqual(s.aIds);
  });

  it('is stable across rows created in the same millisecond', async () => {
    const pages = await allPages('/v1/deliveries?endpoint_id=ep_a2', s.keyA, 1);
    expect(pages.flat()).toEqual(s.aIds.filter((id) => Number(id.slice(-2)) % 2 === 1));
  });

  it('pages through filtered results', async () => {
    const pages = await allPages('/v1/deliveries?status=succeeded', s.keyA, 2);
    expect(pages.flat()).toEqual(s.aIds.filter((id) => Number(id.slice(-2)) % 3 === 0));
  });

  it.each(['garbage', 'W10=', Buffer.from('["2026-12-04", "x"]').toString('base64url')])(
    'rejects cursor %s with 400',
    async (cursor) => {
      const res = await h.http('GET', `/v1/deliveries?cursor=${cursor}`, s.keyA);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_cursor');
    },
  );
});

describe('GET /v1/deliveries/:id and GET /v1/events/:id', () => {
  it('returns the row with its attempts and the event', async () => {
    const res = await h.http('GET', '/v1/deliveries/dlv_acct_a_01', s.keyA);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'dlv_acct_a_01', status: 'failed', attempt_count: 2 });
    expect(res.body.attempts).toEqual([
      expect.objectContaining({ attempt: 1, status: 'failed', status_code: 500, response_body: 'boom' }),
      expect.objectContaining({ attempt: 2, status_code: null, error: 'timeout', response_body: null }),
    ]);
    expect(res.body.attempts[0]).toMatchObject({
      started_at: s.at(5, 10),
      duration_ms: 12,
      request_headers: { 'x-codeplanet-event-id': 'evt_acct_a_01', 'x-codeplanet-attempt': '1' },
    });
    expect(res.body.event).toMatchObject({ id: 'evt_acct_a_01', type: 'payment.failed', account_id: A });
  });

  it('returns an event with its deliveries', async () => {
    const res = await h.http('GET', '/v1/events/evt_acct_a_03', s.keyA);
    expect(res.status).toBe(200);
    expect(res.body.event).toMatchObject({ id: 'evt_acct_a_03', account_id: A, created_at: s.at(15) });
    expect(ids({ data: res.body.deliveries })).toEqual(['dlv_acct_a_03']);
  });

  it('answers 404 for unknown ids', async () => {
    expect((await h.http('GET', '/v1/deliveries/dlv_nope', s.keyA)).status).toBe(404);
    expect((await h.http('GET', '/v1/events/evt_nope', ADMIN)).status).toBe(404);
  });
});

describe('isolation between accounts', () => {
  const foreign = 'dlv_acct_a_00';

  it('another account cannot list, read, retry, or follow A rows', async () => {
    expect(ids((await h.http('GET', '/v1/deliveries?endpoint_id=ep_a1', s.keyB)).body)).toEqual([]);
    expect(ids((await h.http('GET', `/v1/deliveries?account_id=${A}`, s.keyB)).body)).toEqual([]);
    expect(ids((await h.http('GET', '/v1/deliveries?event_id=evt_acct_a_00', s.keyB)).body)).toEqual([]);
    expect(ids((await h.http('GET', '/v1/deliveries', s.keyB)).body)).toEqual(s.bIds);
    for (const [method, path] of [
      ['GET', `/v1/deliveries/${foreign}`],
      ['POST', `/v1/deliveries/${foreign}/retry`],
      ['GET', '/v1/events/evt_acct_a_00'],
      ['GET', '/v1/endpoints/ep_a1/stats'],
      ['GET', '/v1/stream?endpoint_id=ep_a1'],
    ] as const) {
      const res = await h.http(method, path, s.keyB);
      expect({ path, status: res.status, code: res.body?.error?.code }).toEqual({
        path,
        status: 404,
        code: 'not_found',
      });
    }
  });

  it('admin-only routes refuse account keys', async () => {
    expect((await h.http('GET', '/v1/audit-trail', s.keyA)).status).toBe(403);
    expect((await h.http('GET', '/v1/rejected-events', s.keyB)).status).toBe(403);
  });

  it('requires a valid token', async () => {
    expect((await h.http('GET', '/v1/deliveries')).status).toBe(401);
    expect((await h.http('GET', '/v1/deliveries', 'cpk_unknown')).status).toBe(401);
    expect((await h.http('GET', '/v1/deliveries', 'wrong-admin')).status).toBe(401);
  });
});
