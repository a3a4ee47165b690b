import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EVENT_TYPES, type AccountFact, type AuditFact } from '@codeplanet/event-schemas';
import { hashApiKey } from '@codeplanet/service-kit';
import { createAccount, createEndpoint, startApp, type TestApp } from './support/harness.js';
import { messagesOf } from './support/streams.js';

const RATE = 20;

/** Audit and account facts, the public catalogue, health, metrics, OpenAPI and the rate limit. */
describe('platform', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({
      env: { RATE_LIMIT_PER_MINUTE: String(RATE), RETENTION_DAYS: '2', EVENTS_MAX_AGE: '12h' },
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('provisions the streams with the shared retention env', async () => {
    const maxAgeMs = async (key: 'events' | 'outcomes'): Promise<number> =>
      (await t.nats.jsm.streams.info(t.nats.topology.stream(key))).config.max_age / 1e6;
    expect(await maxAgeMs('outcomes')).toBe(2 * 86_400_000);
    expect(await maxAgeMs('events')).toBe(12 * 3_600_000);
  });

  it('publishes account facts, with the key hash (never the key)', async () => {
    const { accountId, key, keyId } = await createAccount(t, 'Facts Inc');
    await t.request('DELETE', `/v1/admin/accounts/${accountId}/api-keys/${keyId}`);
    const facts = (await messagesOf(t.nats, 'accounts'))
      .filter((m) => m.subject === t.nats.topology.account(accountId))
      .map((m) => m.json as AccountFact);
    expect(facts.map((f) => f.type)).toEqual(['account.created', 'api_key.created', 'api_key.revoked']);
    expect(facts[0]).toMatchObject({ account: { id: accountId, name: 'Facts Inc' } });
    expect(facts[1]).toMatchObject({
      api_key: { id: keyId, account_id: accountId, key_hash: hashApiKey(key), prefix: key.slice(0, 10) },
    });
    expect(facts[2]).toMatchObject({ api_key: { id: keyId, account_id: accountId } });
  });

  it('records every mutation on the audit trail with actor, action, target and request id', async () => {
    const { accountId, key, keyId } = await createAccount(t, 'Audited');
    const headers = { 'x-request-id': 'req-audit-42' };
    const created = await t.request('POST', '/v1/endpoints', {
      token: key,
      headers,
      body: { url: 'http://127.0.0.1:9/a', events: ['*'] },
    });
    expect(created.headers.get('x-request-id')).toBe('req-audit-42');
    const id = created.body.id as string;
    await t.request('PATCH', `/v1/endpoints/${id}`, { token: key, body: { description: 'd' } });
    await t.request('POST', `/v1/endpoints/${id}/disable`, { token: key });
    await t.request('POST', `/v1/endpoints/${id}/enable`, { token: key });
    await t.request('GET', `/v1/endpoints/${id}/secret`, { token: key });
    await t.request('POST', `/v1/endpoints/${id}/secret/rotate`, { token: key });
    await t.request('POST', `/v1/endpoints/${id}/test`, { token: key, body: { type: 'certificate.earned' } });
    await t.request('DELETE', `/v1/endpoints/${id}`, { token: key });

    const facts = (await messagesOf(t.nats, 'audit'))
      .filter((m) => m.subject === t.nats.topology.audit(accountId))
      .map((m) => m.json as AuditFact);
    expect(facts.map((f) => f.action)).toEqual([
      'account.create',
      'api_key.create',
      'endpoint.create',
      'endpoint.update',
      'endpoint.disable',
      'endpoint.enable',
      'endpoint.secret_reveal',
      'endpoint.secret_rotate',
      'endpoint.test',
      'endpoint.delete',
    ]);
    expect(facts.slice(0, 2).every((f) => f.actor === 'admin')).toBe(true);
    expect(
      facts.slice(2).every((f) => f.actor === keyId && f.target.id === id && f.account_id === accountId),
    ).toBe(true);
    expect(facts[2]).toMatchObject({ request_id: 'req-audit-42', target: { kind: 'endpoint', id } });
    expect(facts[3]!.details).toMatchObject({ changed: ['description'], version: 2 });
    expect(facts.every((f) => f.id.startsWith('aud_') && !Number.isNaN(Date.parse(f.occurred_at)))).toBe(
      true,
    );
    expect(new Set(facts.map((f) => f.request_id)).size).toBe(facts.length);
  });

  it('audits REST ingest under the event’s account', async () => {
    const { accountId } = await createAccount(t, 'Ingested');
    const event = await t.request('POST', '/v1/events', {
      body: {
        type: 'streak.milestone',
        account_id: accountId,
        data: { user_id: 'usr_1', days: 7, reached_at: new Date().toISOString() },
      },
    });
    expect(event.status).toBe(202);
    const facts = (await messagesOf(t.nats, 'audit')).map((m) => m.json as AuditFact);
    expect(facts).toContainEqual(
      expect.objectContaining({
        action: 'event.ingest',
        actor: 'admin',
        account_id: accountId,
        target: { kind: 'event', id: event.body.id },
      }),
    );
  });

  it('serves the catalogue and the egress IPs without a token', async () => {
    const types = await t.request('GET', '/v1/event-types', { token: null });
    expect(types.status).toBe(200);
    expect(types.body.data.map((e: { type: string }) => e.type)).toEqual([...EVENT_TYPES]);
    for (const entry of types.body.data) {
      expect(entry).toEqual({
        type: entry.type,
        description: expect.any(String),
        schema: expect.any(Object),
        example: expect.any(Object),
      });
      expect(entry.example.type).toBe(entry.type);
    }
    const ips = await t.request('GET', '/v1/webhook-ips', { token: null });
    expect(ips.body).toEqual({ data: ['34.120.10.20', '35.230.1.2'] });
  });

  it('answers /health with both links, and /metrics', async () => {
    const health = await t.request('GET', '/health', { token: null });
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', checks: { nats: 'up', database: 'up' } });
    const metrics = await t.request('GET', '/metrics', { token: null });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
  });

  it('serves an OpenAPI document generated from the DTOs', async () => {
    const docs = await t.request('GET', '/docs/json', { token: null });
    expect(docs.status).toBe(200);
    expect(docs.body.openapi).toMatch(/^3\./);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/endpoints',
        '/v1/endpoints/{id}',
        '/v1/endpoints/{id}/secret/rotate',
        '/v1/events',
        '/v1/admin/accounts',
      ]),
    );
    expect(docs.body.components.schemas.CreateEndpointDto.required).toEqual(
      expect.arrayContaining(['url', 'events']),
    );
  });

  it(`rate-limits each key to RATE_LIMIT_PER_MINUTE (${RATE}) with 429 and Retry-After`, async () => {
    const { key } = await createAccount(t, 'Busy');
    const { key: calm } = await createAccount(t, 'Calm');
    const endpoint = await createEndpoint(t, key);
    const responses = await Promise.all(
      Array.from({ length: RATE + 5 }, () =>
        t.request('GET', `/v1/endpoints/${endpoint.id}`, { token: key }),
      ),
    );
    const limited = responses.filter((r) => r.status === 429);
    const ok = responses.filter((r) => r.status === 200);
    // The create used one token; a slow machine may see one token refilled meanwhile.
    expect(ok.length).toBeGreaterThanOrEqual(RATE - 1);
    expect(ok.length).toBeLessThanOrEqual(RATE);
    expect(ok.length + limited.length).toBe(RATE + 5);
    expect(limited[0]!.body.error.code).toBe('rate_limited');
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await t.request('GET', '/v1/endpoints', { token: calm })).status).toBe(200);
    expect((await t.request('GET', '/v1/event-types', { token: null })).status).toBe(200);
  });
});
