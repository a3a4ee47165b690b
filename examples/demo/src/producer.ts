import { EVENT_CATALOG, EVENT_TYPES, newId, type EventEnvelope } from '@codeplanet/event-schemas';
import { jetstream } from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';

export interface DemoAccount {
  accountId: string;
  apiKey: string;
  endpointId: string;
  secret: string;
}

async function call<T>(base: string, token: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Signs a customer up the way the dashboard would: an account, an API key, an endpoint for every event. */
export async function signUpDemoAccount(
  apiUrl: string,
  adminToken: string,
  receiverUrl: string,
): Promise<DemoAccount> {
  const account = await call<{ id: string }>(apiUrl, adminToken, '/v1/admin/accounts', {
    name: 'Demo School',
  });
  const key = await call<{ key: string }>(apiUrl, adminToken, `/v1/admin/accounts/${account.id}/api-keys`);
  const endpoint = await call<{ id: string; secret: string }>(apiUrl, key.key, '/v1/endpoints', {
    url: receiverUrl,
    events: ['*'],
    description: 'demo receiver',
  });
  return { accountId: account.id, apiKey: key.key, endpointId: endpoint.id, secret: endpoint.secret };
}

/** Publishes catalogue examples on NATS, the main path, one every `intervalMs`. */
export async function produceEvents(natsUrl: string, prefix: string, accountId: string, intervalMs: number) {
  const nc = await connect({ servers: natsUrl, name: 'demo-producer' });
  const js = jetstream(nc);
  let n = 0;
  const timer = setInterval(() => {
    const type = EVENT_TYPES[n++ % EVENT_TYPES.length]!;
    const event: EventEnvelope = {
      ...EVENT_CATALOG[type].example,
      id: newId('evt'),
      account_id: accountId,
      created_at: new Date().toISOString(),
      test: false,
    };
    const h = headers();
    h.set('Nats-Msg-Id', event.id);
    const subject = `${prefix ? `${prefix}.` : ''}events.${type}`;
    js.publish(subject, JSON.stringify(event), { headers: h }).then(
      () => console.log(`→ published ${type} ${event.id}`),
      (error: Error) => console.log(`publish failed: ${error.message}`),
    );
  }, intervalMs);
  return async () => {
    clearInterval(timer);
    await nc.drain();
  };
}
