import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  EVENT_CATALOG,
  MAX_EVENT_BYTES,
  TARGET_ENDPOINT_HEADER,
  newId,
  validateEvent,
} from '@codeplanet/event-schemas';
import { requestHashOf } from '../src/events/idempotency.js';
import { SERVICE_TOKEN, createAccount, createEndpoint, startApp, type TestApp } from './support/harness.js';
import { messagesOf } from './support/streams.js';

describe('REST ingest and test events', () => {
  let t: TestApp;
  let accountId: string;
  let key: string;

  beforeAll(async () => {
    t = await startApp();
    ({ accountId, key } = await createAccount(t));
  });

  afterAll(async () => {
    await t?.close();
  });

  const payment = (): Record<string, unknown> => ({
    type: 'payment.completed',
    account_id: accountId,
    data: { ...EVENT_CATALOG['payment.completed'].example.data },
  });
  const ingest = (
    body: unknown,
    headers: Record<string, string> = {},
    token?: string,
  ): ReturnType<TestApp['request']> =>
    t.request('POST', '/v1/events', { body, headers, ...(token ? { token } : {}) });
  const eventsWithId = async (id: string): Promise<unknown[]> =>
    (await messagesOf(t.nats, 'events')).filter((m) => m.json?.id === id);

  it('202 {id}; fills id, created_at and test; publishes to events.<type> with Nats-Msg-Id', async () => {
    const response = await ingest(payment());
    expect(response.status).toBe(202);
    expect(Object.keys(response.body)).toEqual(['id']);
    expect(response.body.id).toMatch(/^evt_[0-9A-Z]{26}$/);
    const [message] = (await messagesOf(t.nats, 'events')).filter((m) => m.json.id === response.body.id);
    expect(message!.subject).toBe(t.nats.topology.event('payment.completed'));
    expect(message!.headers['Nats-Msg-Id']).toBe(response.body.id);
    expect(message!.json).toMatchObject({ ...payment(), test: false });
    expect(Date.parse(message!.json.created_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(validateEvent(message!.json).ok).toBe(true);
  });

  it('keeps a producer’s id and created_at, and accepts a service token', async () => {
    const id = newId('evt');
    const body = { ...payment(), id, created_at: '2026-12-04T15:00:00.000Z', test: true };
    const response = await ingest(body, {}, SERVICE_TOKEN);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ id });
    const [message] = await eventsWithId(id);
    expect(message).toMatchObject({ json: body });
  });

  it.each([
    ['a missing type', (e: Record<string, unknown>) => ({ ...e, type: undefined }), 'type', 'is required'],
    [
      'an unknown type',
      (e: Record<string, unknown>) => ({ ...e, type: 'payment.refunded' }),
      'type',
      'unknown event type "payment.refunded"',
    ],
    [
      'a bad account id',
      (e: Record<string, unknown>) => ({ ...e, account_id: 'nope' }),
      'account_id',
      'must be',
    ],
    [
      'a bad data field',
      (e: Record<string, unknown>) => ({ ...e, data: { ...(e.data as object), amount: 19.99 } }),
      'data.amount',
      'must be an integer',
    ],
    [
      'a missing data field',
      (e: Record<string, unknown>) => ({ ...e, data: { ...(e.data as object), currency: undefined } }),
      'data.currency',
      'is required',
    ],
    [
      'an unknown envelope field',
      (e: Record<string, unknown>) => ({ ...e, accountId: 'x' }),
      'accountId',
      'is not a known field',
    ],
    [
      'a bad created_at',
      (e: Record<string, unknown>) => ({ ...e, created_at: 'yesterday' }),
      'created_at',
      'must be',
    ],
    ['a bad id', (e: Record<string, unknown>) => ({ ...e, id: 'event-1' }), 'id', 'must be'],
    ['not an object', () => [1, 2], '(root)', 'must be a JSON object'],
  ])('422 validation_failed for %s, naming the field', async (_name, mutate, field, message) => {
    const response = await ingest(mutate(payment()));
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('validation_failed');
    const detail = response.body.error.details.find((d: { field: string }) => d.field === field);
    expect(detail?.message).toContain(message);
  });

  it('422 unknown_account when account_id names no account', async () => {
    const response = await ingest({ ...payment(), account_id: 'acct_01JEX3M5V8Q2T9ZK7W4N6R1B3C' });
    expect(response.status).toBe(422);
    expect(response.body.error).toEqual({
      code: 'unknown_account',
      message: 'account_id does not name an existing account',
      details: [{ field: 'account_id', message: 'does not name an existing account' }],
    });
  });

  it('400 on bad JSON', async () => {
    const response = await t.request('POST', '/v1/events', { rawBody: '{"type": "payment.completed",' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('bad_request');
  });

  it('413 payload_too_large over 256 KiB, in the contract’s error shape', async () => {
    const big = { ...payment(), data: { ...(payment().data as object), plan: 'x'.repeat(MAX_EVENT_BYTES) } };
    const response = await ingest(big);
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
    expect(response.body.error.details).toEqual([]);
  });

  it('accepts an event just under the limit', async () => {
    const base = JSON.stringify({
      ...payment(),
      id: newId('evt'),
      created_at: new Date().toISOString(),
      test: false,
    });
    const filler = MAX_EVENT_BYTES - base.length - 200;
    const response = await ingest({
      ...payment(),
      data: { ...(payment().data as object), note: 'y'.repeat(filler) },
    });
    expect(response.status).toBe(202);
  });

  describe('Idempotency-Key', () => {
    it('the same key and body return the same answer and publish one event', async () => {
      const body = payment();
      const first = await ingest(body, { 'idempotency-key': 'order-1001' });
      const second = await ingest(
        { data: body.data, account_id: body.account_id, type: body.type },
        { 'idempotency-key': 'order-1001' },
      );
      expect(first.status).toBe(202);
      expect(second.status).toBe(202);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(await eventsWithId(first.body.id)).toHaveLength(1);
    });

    it('concurrent requests with one key publish one event', async () => {
      const body = payment();
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => ingest(body, { 'idempotency-key': 'burst-7' })),
      );
      const ids = new Set(responses.map((r) => r.body.id));
      expect(responses.map((r) => r.status)).toEqual(Array(6).fill(202));
      expect(ids.size).toBe(1);
      expect(await eventsWithId([...ids][0] as string)).toHaveLength(1);
    });

    it('422 idempotency_key_reused for the same key with a different body', async () => {
      await ingest(payment(), { 'idempotency-key': 'order-2002' });
      const other = { ...payment(), data: { ...(payment().data as object), amount: 5 } };
      const response = await ingest(other, { 'idempotency-key': 'order-2002' });
      expect(response.status).toBe(422);
      expect(response.body.error).toMatchObject({
        code: 'idempotency_key_reused',
        details: [{ field: 'Idempotency-Key', message: 'was already used with a different request body' }],
      });
    });

    it('keys are per caller', async () => {
      const admin = await ingest(payment(), { 'idempotency-key': 'shared-key' });
      const service = await ingest(payment(), { 'idempotency-key': 'shared-key' }, SERVICE_TOKEN);
      expect(service.status).toBe(202);
      expect(service.body.id).not.toBe(admin.body.id);
    });

    it('finishes a request whose publish never happened', async () => {
      const body = payment();
      const event = { ...body, id: newId('evt'), created_at: new Date().toISOString(), test: false };
      await t.sql(
        `INSERT INTO subscriptions.idempotency_keys (scope, key, request_hash, event, state, created_at)
         VALUES ('admin', 'crashed-1', $1, $2, 'pending', now())`,
        [requestHashOf(body), JSON.stringify(event)],
      );
      const response = await ingest(body, { 'idempotency-key': 'crashed-1' });
      expect(response.body).toEqual({ id: event.id });
      expect(await eventsWithId(event.id)).toHaveLength(1);
      const [row] = await t.sql<{ state: string }>(
        `SELECT state FROM subscriptions.idempotency_keys WHERE key = 'crashed-1'`,
      );
      expect(row!.state).toBe('done');
    });

    it('400 invalid_idempotency_key for unusable keys', async () => {
      const response = await ingest(payment(), { 'idempotency-key': 'x'.repeat(256) });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({
        code: 'invalid_idempotency_key',
        details: [{ field: 'Idempotency-Key' }],
      });
    });

    it('does not store keys of invalid requests, so a corrected retry goes through', async () => {
      const bad = await ingest({ ...payment(), type: 'nope' }, { 'idempotency-key': 'fix-me' });
      expect(bad.status).toBe(422);
      const good = await ingest(payment(), { 'idempotency-key': 'fix-me' });
      expect(good.status).toBe(202);
    });
  });

  it('POST /v1/endpoints/:id/test publishes the catalogue example to that endpoint only', async () => {
    const endpoint = await createEndpoint(t, key, { events: ['streak.milestone'] });
    const response = await t.request('POST', `/v1/endpoints/${endpoint.id}/test`, {
      token: key,
      body: { type: 'payment.failed' },
    });
    expect(response.status).toBe(202);
    expect(response.body.event_id).toMatch(/^evt_/);
    const [message] = (await messagesOf(t.nats, 'events')).filter(
      (m) => m.json.id === response.body.event_id,
    );
    expect(message!.subject).toBe(t.nats.topology.event('payment.failed'));
    expect(message!.headers[TARGET_ENDPOINT_HEADER]).toBe(endpoint.id);
    expect(message!.headers['Nats-Msg-Id']).toBe(response.body.event_id);
    const example = EVENT_CATALOG['payment.failed'].example;
    expect(message!.json).toMatchObject({
      type: 'payment.failed',
      account_id: accountId,
      test: true,
      data: example.data,
    });
    expect(message!.json.id).not.toBe(example.id);
    expect(validateEvent(message!.json).ok).toBe(true);
  });
});
