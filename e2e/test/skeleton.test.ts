/**
 * The walking skeleton, every hop real: admin → account + key → endpoint → NATS publish → fan-out → signed POST
 * → OUTCOMES → audit-log projection → GET /v1/deliveries. Four app processes, real NATS and Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { verifyWebhook } from '@codeplanet/signer';
import { newId } from '@codeplanet/event-schemas';
import { waitFor } from '@codeplanet/service-kit/testing';
import { Stack, STACK_ADMIN_TOKEN, TestReceiver } from '../src/index.js';
import { api } from './api.js';

describe('walking skeleton: one event through every app', () => {
  let stack: Stack;
  let receiver: TestReceiver;
  let nc: NatsConnection;

  beforeAll(async () => {
    receiver = await new TestReceiver().start();
    stack = await Stack.start({
      env: { RETRY_SCHEDULE: '200ms,200ms,200ms,200ms,200ms', DELIVERY_TIMEOUT: '5s' },
    });
    nc = await connect({ servers: stack.natsUrl });
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    await stack?.stop();
    await receiver?.stop();
  });

  it('delivers a signed payment.completed and shows it succeeded in audit-log', async () => {
    const admin = api(stack.url('subscriptions-api'), STACK_ADMIN_TOKEN);
    const account = await admin.post<{ id: string; name: string }>('/v1/admin/accounts', {
      name: 'Acme Learning',
    });
    expect(account.status).toBe(201);
    const apiKey = await admin.post<{ id: string; key: string }>(
      `/v1/admin/accounts/${account.body.id}/api-keys`,
    );
    expect(apiKey.status).toBe(201);
    expect(apiKey.body.key).toMatch(/^cpk_/);

    const customer = api(stack.url('subscriptions-api'), apiKey.body.key);
    const endpoint = await customer.post<{ id: string; secret: string }>('/v1/endpoints', {
      url: `${receiver.url}/webhooks`,
      events: ['payment.completed'],
      description: 'billing sync',
    });
    expect(endpoint.status).toBe(201);
    expect(endpoint.body.secret).toMatch(/^whsec_/);

    const event = {
      id: newId('evt'),
      type: 'payment.completed',
      account_id: account.body.id,
      created_at: new Date().toISOString(),
      test: false,
      data: { payment_id: 'pay_123', user_id: 'usr_42', amount: 1999, currency: 'USD', plan: 'pro' },
    };
    const h = natsHeaders();
    h.set('Nats-Msg-Id', event.id);
    const ack = await jetstream(nc).publish(
      `${stack.prefix}.events.payment.completed`,
      JSON.stringify(event),
      {
        headers: h,
      },
    );
    expect(ack.duplicate).toBe(false);

    const request = await waitFor(
      () => receiver.requests.find((r) => r.headers['x-codeplanet-event-id'] === event.id),
      {
        timeoutMs: 20_000,
        what: 'the webhook to arrive',
      },
    );
    expect(request.path).toBe('/webhooks');
    expect(JSON.parse(request.body)).toEqual(event);
    expect(request.headers['content-type']).toContain('application/json');
    expect(request.headers['user-agent']).toMatch(/^CodePlanet-Webhooks\//);
    expect(request.headers['x-codeplanet-event-type']).toBe('payment.completed');
    expect(request.headers['x-codeplanet-attempt']).toBe('1');
    expect(request.headers['x-codeplanet-delivery-id']).toMatch(/^dlv_/);

    // The signer's own verifier accepts it...
    expect(() =>
      verifyWebhook({ secret: endpoint.body.secret, headers: request.headers, body: request.body }),
    ).not.toThrow();
    // ...and both HMACs recomputed here, independently of the signer package, match.
    const key = Buffer.from(endpoint.body.secret.slice('whsec_'.length), 'base64');
    const timestamp = String(request.headers['x-codeplanet-timestamp']);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const hex = createHmac('sha256', key).update(`${timestamp}.${request.body}`).digest('hex');
    expect(String(request.headers['x-codeplanet-signature']).split(' ')).toContain(`v1=${hex}`);
    expect(request.headers['webhook-id']).toBe(event.id);
    expect(request.headers['webhook-timestamp']).toBe(timestamp);
    const base64 = createHmac('sha256', key)
      .update(`${event.id}.${timestamp}.${request.body}`)
      .digest('base64');
    expect(String(request.headers['webhook-signature']).split(' ')).toContain(`v1,${base64}`);

    const audit = api(stack.url('audit-log'), apiKey.body.key);
    const delivery = await waitFor(
      async () => {
        const list = await audit.get<{ data: { id: string; status: string; event_id: string }[] }>(
          `/v1/deliveries?endpoint_id=${endpoint.body.id}`,
        );
        return list.body.data.find((row) => row.event_id === event.id && row.status === 'succeeded');
      },
      { timeoutMs: 20_000, what: 'audit-log to show the delivery succeeded' },
    );
    expect(delivery.id).toBe(request.headers['x-codeplanet-delivery-id']);
    const detail = await audit.get<{
      attempts: { attempt: number; status_code: number }[];
      last_status_code: number;
    }>(`/v1/deliveries/${delivery.id}`);
    expect(detail.body.last_status_code).toBe(200);
    expect(detail.body.attempts).toEqual([expect.objectContaining({ attempt: 1, status_code: 200 })]);

    // Another account sees nothing of it.
    const other = await admin.post<{ id: string }>('/v1/admin/accounts', { name: 'Other' });
    const otherKey = await admin.post<{ key: string }>(`/v1/admin/accounts/${other.body.id}/api-keys`);
    const foreign = api(stack.url('audit-log'), otherKey.body.key);
    // audit-log learns keys from the ACCOUNTS stream: a brand-new key is accepted there a moment later.
    await waitFor(async () => (await foreign.get('/v1/me')).status === 200, {
      what: 'audit-log to know the new key',
    });
    expect((await foreign.get(`/v1/deliveries/${delivery.id}`)).status).toBe(404);
    expect((await foreign.get<{ data: unknown[] }>('/v1/deliveries')).body.data).toEqual([]);
  }, 90_000);

  it('runs the projections at a lower CPU priority than the delivery path (CPU_NICE)', async () => {
    // Field 19 of /proc/<pid>/stat is the niceness of the process's main thread.
    const niceOf = async (app: string): Promise<number> => {
      const pid = stack.apps.get(app)?.pid;
      if (pid === undefined) throw new Error(`${app} is not running`);
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const base = await niceOf('subscriptions-api');
    expect(await niceOf('delivery-worker')).toBe(base);
    expect(await niceOf('audit-log')).toBe(Math.max(base, 10));
    expect(await niceOf('scheduler')).toBe(Math.max(base, 10));
  });
});
