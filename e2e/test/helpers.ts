import { jetstream } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { EVENT_CATALOG, newId, type EventEnvelope, type EventType } from '@codeplanet/event-schemas';
import { STACK_ADMIN_TOKEN, type Stack } from '../src/index.js';
import { api, type ApiClient } from './api.js';

export interface Customer {
  accountId: string;
  apiKey: string;
  client: ApiClient;
}

/** An account with an API key, made the way an admin would. */
export async function signUp(stack: Stack, name: string): Promise<Customer> {
  const admin = api(stack.url('subscriptions-api'), STACK_ADMIN_TOKEN);
  const account = await admin.post<{ id: string }>('/v1/admin/accounts', { name });
  if (account.status !== 201) throw new Error(`account: ${account.status} ${JSON.stringify(account.body)}`);
  const key = await admin.post<{ key: string }>(`/v1/admin/accounts/${account.body.id}/api-keys`);
  if (key.status !== 201) throw new Error(`api key: ${key.status} ${JSON.stringify(key.body)}`);
  return {
    accountId: account.body.id,
    apiKey: key.body.key,
    client: api(stack.url('subscriptions-api'), key.body.key),
  };
}

export async function createEndpoint(
  customer: Customer,
  url: string,
  events: string[] = ['*'],
): Promise<{ id: string; secret: string }> {
  const created = await customer.client.post<{ id: string; secret: string }>('/v1/endpoints', {
    url,
    events,
  });
  if (created.status !== 201) throw new Error(`endpoint: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

/** Publishes the catalogue example of `type` for an account on NATS, the producers' main path. */
export async function publishEvent(
  nc: NatsConnection,
  stack: Stack,
  accountId: string,
  type: EventType = 'payment.completed',
): Promise<EventEnvelope> {
  const event: EventEnvelope = {
    ...structuredClone(EVENT_CATALOG[type].example),
    id: newId('evt'),
    account_id: accountId,
    created_at: new Date().toISOString(),
    test: false,
  };
  const h = natsHeaders();
  h.set('Nats-Msg-Id', event.id);
  await jetstream(nc).publish(`${stack.prefix}.events.${type}`, JSON.stringify(event), { headers: h });
  return event;
}
