import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EndpointFact } from '@codeplanet/event-schemas';
import { createSecretBox, signWebhook, verifyWebhook } from '@codeplanet/signer';
import {
  TEST_KEYRING,
  createAccount,
  createEndpoint,
  send,
  startApp,
  startReplica,
  type TestApp,
} from './support/harness.js';
import { allMessages, messagesOf } from './support/streams.js';

const ROTATED_KEYRING = `k2:${Buffer.alloc(32, 7).toString('base64')},${TEST_KEYRING}`;
const DAY_MS = 24 * 60 * 60 * 1000;

describe('secrets', () => {
  let t: TestApp;
  let key: string;
  let endpointId: string;
  const plaintexts: string[] = [];

  beforeAll(async () => {
    t = await startApp();
    ({ key } = await createAccount(t));
    const endpoint = await createEndpoint(t, key);
    endpointId = endpoint.id;
    plaintexts.push(endpoint.secret);
  });

  afterAll(async () => {
    await t?.close();
  });

  const lastFact = async (): Promise<EndpointFact> => {
    const facts = (await messagesOf(t.nats, 'endpoints')).filter((m) => m.json.endpoint.id === endpointId);
    return facts[facts.length - 1]!.json as EndpointFact;
  };
  const decryptAll = (fact: EndpointFact, keyring = TEST_KEYRING): string[] =>
    fact.endpoint.secrets.map((s) => createSecretBox(keyring).decrypt(s.ciphertext));

  it('reveals the current secret, without caching', async () => {
    const response = await t.request('GET', `/v1/endpoints/${endpointId}/secret`, { token: key });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ secret: plaintexts[0] });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('rotates: the new secret comes first, the old one expires in 24 h, and both verify', async () => {
    const rotated = await t.request('POST', `/v1/endpoints/${endpointId}/secret/rotate`, { token: key });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(plaintexts[0]);
    plaintexts.push(rotated.body.secret);
    expect((await t.request('GET', `/v1/endpoints/${endpointId}/secret`, { token: key })).body.secret).toBe(
      rotated.body.secret,
    );

    const fact = await lastFact();
    expect(fact.type).toBe('endpoint.secret_rotated');
    expect(decryptAll(fact)).toEqual([plaintexts[1], plaintexts[0]]);
    const [current, old] = fact.endpoint.secrets;
    expect(current!.expires_at).toBeNull();
    const expiresIn = Date.parse(old!.expires_at!) - Date.now();
    expect(expiresIn).toBeGreaterThan(DAY_MS - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(DAY_MS);

    // What the worker does during the overlap: sign with every live secret; each receiver secret verifies.
    const body = JSON.stringify({ id: 'evt_overlap', type: 'payment.completed' });
    const headers = signWebhook({ secrets: decryptAll(fact), eventId: 'evt_overlap', body });
    expect(headers['x-codeplanet-signature']!.split(' ')).toHaveLength(2);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    for (const secret of [plaintexts[0]!, plaintexts[1]!]) {
      expect(() => verifyWebhook({ secret, headers, body })).not.toThrow();
    }
    const stranger = 'whsec_' + Buffer.alloc(32, 1).toString('base64');
    expect(() => verifyWebhook({ secret: stranger, headers, body })).toThrow();
  });

  it('keeps at most three old secrets', async () => {
    for (let i = 0; i < 4; i++) {
      const rotated = await t.request('POST', `/v1/endpoints/${endpointId}/secret/rotate`, { token: key });
      plaintexts.push(rotated.body.secret);
    }
    const secrets = decryptAll(await lastFact());
    expect(secrets).toEqual([...plaintexts].reverse().slice(0, 4));
  });

  it('re-encrypts under the new encryption key when the keyring rotates', async () => {
    const replica = await startReplica(t, { SECRETS_ENCRYPTION_KEYS: ROTATED_KEYRING });
    try {
      const patched = await send(replica.url, 'PATCH', `/v1/endpoints/${endpointId}`, {
        token: key,
        body: { description: 'rekeyed' },
      });
      expect(patched.status).toBe(200);
      const fact = await lastFact();
      expect(fact.endpoint.secrets.every((s) => s.ciphertext.startsWith('v1.k2.'))).toBe(true);
      expect(decryptAll(fact, ROTATED_KEYRING)).toEqual([...plaintexts].reverse().slice(0, 4));
      const revealed = await send(replica.url, 'GET', `/v1/endpoints/${endpointId}/secret`, { token: key });
      expect(revealed.body.secret).toBe(plaintexts[plaintexts.length - 1]);
    } finally {
      await replica.close();
    }
  });

  it('never stores, publishes or logs a secret (or an API key) in plaintext', async () => {
    // One more endpoint, deleted, so every fact type that carries secrets has been written.
    const doomed = await createEndpoint(t, key);
    plaintexts.push(doomed.secret);
    await t.request('DELETE', `/v1/endpoints/${doomed.id}`, { token: key });
    // Seven signing secrets (with and without their prefix) and the account's API key.
    const needles = [...plaintexts.flatMap((secret) => [secret, secret.slice('whsec_'.length)]), key];
    expect(needles).toHaveLength(15);

    const tables = await t.sql<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['endpoints', 'accounts', 'api_keys']),
    );
    const dumps = await Promise.all(
      tables.map(async ({ table_schema, table_name }) =>
        (await t.sql<{ row: string }>(`SELECT t::text AS row FROM "${table_schema}"."${table_name}" t`))
          .map((r) => r.row)
          .join('\n'),
      ),
    );
    const database = dumps.join('\n');
    expect(database).toContain(endpointId); // the search does see the rows

    const messages = await allMessages(t.nats);
    const bus = messages.map((m) => `${m.subject} ${JSON.stringify(m.headers)} ${m.text}`).join('\n');
    expect(bus).toContain(endpointId);

    const logs = t.logs.text();
    expect(logs).toContain('streams provisioned'); // the capture works
    for (const needle of needles) {
      expect(database.includes(needle)).toBe(false);
      expect(bus.includes(needle)).toBe(false);
      expect(logs.includes(needle)).toBe(false);
    }
  });
});
