/**
 * Secret rotation with real deliveries (both secrets sign during the overlap, both verify), test events reaching
 * one endpoint only, and secret hygiene across every app's logs, database rows and streams.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { verifyWebhook } from '@codeplanet/signer';
import { waitFor } from '@codeplanet/service-kit/testing';
import { Stack, TestReceiver } from '../src/index.js';
import { createEndpoint, publishEvent, signUp } from './helpers.js';

describe('secrets and test events across the stack', () => {
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

  it('signs with the old and the new secret during the rotation window, and both verify', async () => {
    const customer = await signUp(stack, 'Rotating School');
    const endpoint = await createEndpoint(customer, `${receiver.url}/rotation`);
    const before = await publishEvent(nc, stack, customer.accountId);
    const first = await waitFor(
      () => receiver.requests.find((r) => r.headers['x-codeplanet-event-id'] === before.id),
      {
        timeoutMs: 20_000,
        what: 'the delivery before rotation',
      },
    );
    expect(String(first.headers['x-codeplanet-signature']).split(' ')).toHaveLength(1);

    const rotated = await customer.client.post<{ secret: string }>(
      `/v1/endpoints/${endpoint.id}/secret/rotate`,
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    const revealed = await customer.client.get<{ secret: string }>(`/v1/endpoints/${endpoint.id}/secret`);
    expect(revealed.body.secret).toBe(rotated.body.secret);

    const after = await publishEvent(nc, stack, customer.accountId, 'submission.accepted');
    const second = await waitFor(
      () => receiver.requests.find((r) => r.headers['x-codeplanet-event-id'] === after.id),
      {
        timeoutMs: 20_000,
        what: 'the delivery after rotation',
      },
    );
    expect(String(second.headers['x-codeplanet-signature']).split(' ')).toHaveLength(2);
    expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [endpoint.secret, rotated.body.secret]) {
      expect(() => verifyWebhook({ secret, headers: second.headers, body: second.body })).not.toThrow();
    }
  }, 60_000);

  it('sends a test event to the chosen endpoint only, marked as a test', async () => {
    const customer = await signUp(stack, 'Testing School');
    const chosen = await createEndpoint(customer, `${receiver.url}/chosen`, ['payment.completed']);
    await createEndpoint(customer, `${receiver.url}/other`, ['*']);
    const sent = await customer.client.post<{ event_id: string }>(`/v1/endpoints/${chosen.id}/test`, {
      type: 'streak.milestone',
    });
    expect(sent.status).toBe(202);
    const request = await waitFor(
      () => receiver.requests.find((r) => r.headers['x-codeplanet-event-id'] === sent.body.event_id),
      { timeoutMs: 20_000, what: 'the test event' },
    );
    expect(request.path).toBe('/chosen');
    const body = JSON.parse(request.body) as { test: boolean; type: string; account_id: string };
    expect(body).toMatchObject({ test: true, type: 'streak.milestone', account_id: customer.accountId });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      receiver.requests.filter((r) => r.headers['x-codeplanet-event-id'] === sent.body.event_id),
    ).toHaveLength(1);
  }, 60_000);

  it('never shows a plaintext secret in any log, database row or stream message', async () => {
    const customer = await signUp(stack, 'Careful School');
    const endpoint = await createEndpoint(customer, `${receiver.url}/hygiene`);
    const rotated = await customer.client.post<{ secret: string }>(
      `/v1/endpoints/${endpoint.id}/secret/rotate`,
    );
    const event = await publishEvent(nc, stack, customer.accountId);
    await waitFor(() => receiver.requests.find((r) => r.headers['x-codeplanet-event-id'] === event.id), {
      timeoutMs: 20_000,
      what: 'a delivery signed with both secrets',
    });
    const secrets = [endpoint.secret, rotated.body.secret];
    const material = secrets.flatMap((secret) => [secret, secret.slice('whsec_'.length)]);

    expect(material.filter((text) => stack.logs.includes(text))).toEqual([]);

    const client = new pg.Client({ connectionString: stack.database.url });
    await client.connect();
    const tables = await client.query<{ schema: string; name: string }>(
      `select table_schema as schema, table_name as name from information_schema.tables
        where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'`,
    );
    let dump = '';
    for (const { schema, name } of tables.rows) {
      const rows = await client.query(`select * from "${schema}"."${name}"`);
      dump += JSON.stringify(rows.rows);
    }
    await client.end();
    expect(tables.rows.length).toBeGreaterThan(0);
    expect(material.filter((text) => dump.includes(text))).toEqual([]);

    const jsm = await jetstreamManager(nc);
    let streamText = '';
    for await (const info of jsm.streams.list()) {
      if (!info.config.name.startsWith(`${stack.prefix}_`)) continue;
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && seq > 0; seq++) {
        const message = await jsm.streams.getMessage(info.config.name, { seq }).catch(() => null);
        if (message) streamText += new TextDecoder().decode(message.data);
      }
    }
    expect(streamText.length).toBeGreaterThan(0);
    expect(material.filter((text) => streamText.includes(text))).toEqual([]);
  }, 60_000);
});
