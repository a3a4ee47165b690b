import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAccount, createEndpoint, startApp, type TestApp } from './support/harness.js';

const CAP = 6;

/** Every request rule of the endpoint and admin routes, with its status and error body (development mode). */
describe('endpoint validation', () => {
  let t: TestApp;
  let key: string;
  let endpointId: string;

  beforeAll(async () => {
    t = await startApp({ env: { MAX_ENDPOINTS_PER_ACCOUNT: String(CAP) } });
    ({ key } = await createAccount(t));
    endpointId = (await createEndpoint(t, key)).id;
  });

  afterAll(async () => {
    await t?.close();
  });

  const create = (body: unknown): ReturnType<TestApp['request']> =>
    t.request('POST', '/v1/endpoints', { token: key, body });
  const valid = { url: 'http://127.0.0.1:8080/hook', events: ['payment.completed'] };

  it.each([
    ['url missing', { events: ['*'] }, 'url', 'url must be a string'],
    ['url not a string', { ...valid, url: 42 }, 'url', 'url must be a string'],
    ['events missing', { url: valid.url }, 'events', 'must be a non-empty list of event types, or ["*"]'],
    ['events empty', { ...valid, events: [] }, 'events', 'must be a non-empty list of event types, or ["*"]'],
    ['events not a list', { ...valid, events: 'payment.completed' }, 'events', 'must be a non-empty list'],
    [
      'unknown event type',
      { ...valid, events: ['payment.completed', 'payment.refunded'] },
      'events',
      'unknown event type "payment.refunded"',
    ],
    [
      '"*" mixed with types',
      { ...valid, events: ['*', 'payment.failed'] },
      'events',
      '"*" must be the only entry',
    ],
    [
      'description too long',
      { ...valid, description: 'x'.repeat(501) },
      'description',
      'shorter than or equal to 500',
    ],
    ['description not a string', { ...valid, description: 7 }, 'description', 'must be a string'],
    ['enabled not a boolean', { ...valid, enabled: 'yes' }, 'enabled', 'must be a boolean'],
    ['unknown field', { ...valid, secret: 'whsec_mine' }, 'secret', 'should not exist'],
  ])('400 validation_failed: %s', async (_name, body, field, message) => {
    const response = await create(body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    const messages = response.body.error.details
      .filter((d: { field: string }) => d.field === field)
      .map((d: { message: string }) => d.message);
    expect(messages.some((m: string) => m.includes(message))).toBe(true);
  });

  it.each([
    ['not a URL', 'not a url', 'must be an absolute URL'],
    ['a relative path', '/hooks', 'must be an absolute URL'],
    ['another scheme', 'ftp://files.example.com/hook', 'must use https (or http outside production)'],
    ['no host', 'http://', 'must be an absolute URL'],
    ['over 2048 characters', `https://example.com/${'a'.repeat(2048)}`, 'must be at most 2048 characters'],
  ])('422 invalid_url: %s', async (_name, url, message) => {
    const response = await create({ ...valid, url });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: { code: 'invalid_url', message: `url ${message}`, details: [{ field: 'url', message }] },
    });
  });

  it('accepts http and loopback outside production, and ["*"]', async () => {
    const response = await create({ url: 'http://localhost:3000/hook', events: ['*'], enabled: false });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      events: ['*'],
      enabled: false,
      disabled_reason: 'manual',
      version: 1,
    });
    expect(response.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  });

  it('de-duplicates event types', async () => {
    const response = await create({
      ...valid,
      events: ['payment.failed', 'payment.failed', 'streak.milestone'],
    });
    expect(response.body.events).toEqual(['payment.failed', 'streak.milestone']);
  });

  it('applies the same rules to PATCH', async () => {
    const path = `/v1/endpoints/${endpointId}`;
    const badEvents = await t.request('PATCH', path, { token: key, body: { events: ['nope'] } });
    expect(badEvents.status).toBe(400);
    expect(badEvents.body.error.details[0].field).toBe('events');
    const badUrl = await t.request('PATCH', path, { token: key, body: { url: 'gopher://x' } });
    expect(badUrl.status).toBe(422);
    expect(badUrl.body.error.code).toBe('invalid_url');
    const unknown = await t.request('PATCH', path, { token: key, body: { version: 9 } });
    expect(unknown.status).toBe(400);
    const unchanged = await t.request('GET', path, { token: key });
    expect(unchanged.body.version).toBe(1);
  });

  it('PATCH changes fields, clears the description with null and bumps the version', async () => {
    const path = `/v1/endpoints/${endpointId}`;
    const first = await t.request('PATCH', path, {
      token: key,
      body: { description: 'billing', events: ['*'] },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ description: 'billing', events: ['*'], version: 2 });
    const cleared = await t.request('PATCH', path, { token: key, body: { description: null } });
    expect(cleared.body).toMatchObject({ description: null, version: 3 });
    const noop = await t.request('PATCH', path, { token: key, body: { description: null } });
    expect(noop.body.version).toBe(3);
  });

  it('disables and enables, with the reason', async () => {
    const disabled = await t.request('POST', `/v1/endpoints/${endpointId}/disable`, { token: key });
    expect(disabled.body).toMatchObject({ enabled: false, disabled_reason: 'manual' });
    const enabled = await t.request('POST', `/v1/endpoints/${endpointId}/enable`, { token: key });
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null });
  });

  it('400 on a test event of an unknown type', async () => {
    const response = await t.request('POST', `/v1/endpoints/${endpointId}/test`, {
      token: key,
      body: { type: 'nope' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0]).toMatchObject({ field: 'type' });
  });

  it('400 on bad JSON', async () => {
    const response = await t.request('POST', '/v1/endpoints', { token: key, rawBody: '{"url": ' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('bad_request');
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
  ])('400 on list query %s', async (query, field) => {
    const response = await t.request('GET', `/v1/endpoints?${query}`, { token: key });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].field).toBe(field);
  });

  it('400 invalid_cursor on a cursor it did not issue', async () => {
    const response = await t.request('GET', '/v1/endpoints?cursor=bm9wZQ', { token: key });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'invalid_cursor',
      details: [{ field: 'cursor', message: 'is not valid' }],
    });
  });

  it('pages with limit and cursor', async () => {
    const all = (await t.request('GET', '/v1/endpoints?limit=100', { token: key })).body.data.map(
      (e: { id: string }) => e.id,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await t.request('GET', `/v1/endpoints${query}`, { token: key });
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((e: { id: string }) => e.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect([...all].sort()).toEqual(all);
  });

  it(`caps an account at MAX_ENDPOINTS_PER_ACCOUNT (${CAP}), and deleting frees a slot`, async () => {
    const other = await createAccount(t, 'capped');
    const created = await Promise.all(
      // More concurrent creates than the connection pool (10) holds: the create lock must not starve the pool.
      Array.from({ length: CAP + 8 }, () =>
        t.request('POST', '/v1/endpoints', { token: other.key, body: valid }),
      ),
    );
    expect(created.filter((r) => r.status === 201)).toHaveLength(CAP);
    const refused = created.filter((r) => r.status !== 201);
    expect(refused.map((r) => r.status)).toEqual(Array(8).fill(422));
    expect(refused[0]!.body.error).toMatchObject({ code: 'endpoint_limit_reached' });
    const victim = created.find((r) => r.status === 201)!.body.id;
    expect((await t.request('DELETE', `/v1/endpoints/${victim}`, { token: other.key })).status).toBe(204);
    expect((await t.request('GET', `/v1/endpoints/${victim}`, { token: other.key })).status).toBe(404);
    expect((await t.request('DELETE', `/v1/endpoints/${victim}`, { token: other.key })).status).toBe(404);
    expect((await t.request('POST', '/v1/endpoints', { token: other.key, body: valid })).status).toBe(201);
  });

  it('validates the admin routes', async () => {
    const noName = await t.request('POST', '/v1/admin/accounts', { body: {} });
    expect(noName.status).toBe(400);
    expect(noName.body.error.details[0].field).toBe('name');
    const blank = await t.request('POST', '/v1/admin/accounts', { body: { name: '   ' } });
    expect(blank.status).toBe(400);
    const unknownAccount = await t.request(
      'POST',
      '/v1/admin/accounts/acct_01JEX3M5V8Q2T9ZK7W4N6R1B3C/api-keys',
    );
    expect(unknownAccount.status).toBe(404);
    expect(unknownAccount.body.error).toMatchObject({ code: 'not_found', message: 'account not found' });
    const account = await createAccount(t, 'keys');
    const unknownKey = await t.request('DELETE', `/v1/admin/accounts/${account.accountId}/api-keys/key_nope`);
    expect(unknownKey.status).toBe(404);
    expect(unknownKey.body.error.message).toBe('api key not found');
  });
});
