import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAccount, createEndpoint, startApp, type TestApp } from './support/harness.js';
import { messagesOf } from './support/streams.js';

/** Account B against account A's endpoint, on every account route: always the answer for a missing id. */
describe('account isolation', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof createAccount>>;
  let b: Awaited<ReturnType<typeof createAccount>>;
  let endpointA: { id: string; secret: string };
  let endpointB: { id: string };

  beforeAll(async () => {
    t = await startApp();
    a = await createAccount(t, 'Account A');
    b = await createAccount(t, 'Account B');
    endpointA = await createEndpoint(t, a.key, { description: 'A only' });
    endpointB = await createEndpoint(t, b.key);
  });

  afterAll(async () => {
    await t?.close();
  });

  const missingId = 'ep_01JEX3M5V8Q2T9ZK7W4N6R1B3C';
  const routes: [string, string, unknown][] = [
    ['GET', '/v1/endpoints/:id', undefined],
    ['PATCH', '/v1/endpoints/:id', { description: 'taken over' }],
    ['DELETE', '/v1/endpoints/:id', undefined],
    ['POST', '/v1/endpoints/:id/enable', undefined],
    ['POST', '/v1/endpoints/:id/disable', undefined],
    ['GET', '/v1/endpoints/:id/secret', undefined],
    ['POST', '/v1/endpoints/:id/secret/rotate', undefined],
    ['POST', '/v1/endpoints/:id/test', { type: 'payment.completed' }],
  ];

  it.each(routes)(
    '%s %s: another account’s id answers exactly like a missing one',
    async (method, template, body) => {
      const path = (id: string): string => template.replace(':id', id);
      const foreign = await t.request(method, path(endpointA.id), { token: b.key, body });
      const missing = await t.request(method, path(missingId), { token: b.key, body });
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual({
        error: { code: 'not_found', message: 'endpoint not found', details: [] },
      });
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual(foreign.body);
      // And the owner still reaches it on the same route shape.
      const own = await t.request('GET', `/v1/endpoints/${endpointA.id}`, { token: a.key });
      expect(own.status).toBe(200);
    },
  );

  it('lists only the caller’s endpoints', async () => {
    const listA = await t.request('GET', '/v1/endpoints', { token: a.key });
    const listB = await t.request('GET', '/v1/endpoints', { token: b.key });
    expect(listA.body.data.map((e: { id: string }) => e.id)).toEqual([endpointA.id]);
    expect(listB.body.data.map((e: { id: string }) => e.id)).toEqual([endpointB.id]);
  });

  it('left A’s endpoint untouched: same version, one fact, no test event', async () => {
    const own = await t.request('GET', `/v1/endpoints/${endpointA.id}`, { token: a.key });
    expect(own.body).toMatchObject({ version: 1, enabled: true, description: 'A only' });
    const facts = (await messagesOf(t.nats, 'endpoints')).filter((m) => m.json.endpoint.id === endpointA.id);
    expect(facts.map((m) => m.json.type)).toEqual(['endpoint.created']);
    const events = await messagesOf(t.nats, 'events');
    expect(events.filter((m) => Object.values(m.headers).includes(endpointA.id))).toEqual([]);
    const secret = await t.request('GET', `/v1/endpoints/${endpointA.id}/secret`, { token: a.key });
    expect(secret.body.secret).toBe(endpointA.secret);
  });

  it('creates endpoints in the caller’s account whatever the body says', async () => {
    const response = await t.request('POST', '/v1/endpoints', {
      token: b.key,
      body: { url: 'http://127.0.0.1:9/x', events: ['*'], account_id: a.accountId },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([
      { field: 'account_id', message: 'property account_id should not exist' },
    ]);
  });

  it('refuses account routes to the admin token and to no token', async () => {
    const admin = await t.request('GET', '/v1/endpoints');
    expect(admin.status).toBe(403);
    expect(admin.body.error.code).toBe('forbidden');
    const anonymous = await t.request('GET', `/v1/endpoints/${endpointA.id}`, { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    const bogus = await t.request('GET', '/v1/endpoints', { token: 'cpk_not-a-real-key' });
    expect(bogus.status).toBe(401);
  });

  it('refuses admin routes to account keys', async () => {
    const accounts = await t.request('POST', '/v1/admin/accounts', { token: a.key, body: { name: 'x' } });
    expect(accounts.status).toBe(403);
    const keys = await t.request('POST', `/v1/admin/accounts/${b.accountId}/api-keys`, { token: a.key });
    expect(keys.status).toBe(403);
    const ingest = await t.request('POST', '/v1/events', { token: a.key, body: {} });
    expect(ingest.status).toBe(403);
  });

  it('stops accepting a revoked key at once', async () => {
    const extra = await t.request('POST', `/v1/admin/accounts/${a.accountId}/api-keys`);
    expect((await t.request('GET', '/v1/endpoints', { token: extra.body.key })).status).toBe(200);
    const revoke = await t.request('DELETE', `/v1/admin/accounts/${a.accountId}/api-keys/${extra.body.id}`);
    expect(revoke.status).toBe(204);
    expect((await t.request('GET', '/v1/endpoints', { token: extra.body.key })).status).toBe(401);
    // A key id of another account is not found under this account.
    const wrongAccount = await t.request('DELETE', `/v1/admin/accounts/${b.accountId}/api-keys/${a.keyId}`);
    expect(wrongAccount.status).toBe(404);
    expect((await t.request('GET', '/v1/endpoints', { token: a.key })).status).toBe(200);
  });
});
