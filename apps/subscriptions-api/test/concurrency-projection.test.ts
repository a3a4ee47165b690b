import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EndpointFact } from '@codeplanet/event-schemas';
import { publishJson } from '@codeplanet/jetstream';
import { waitFor } from '@codeplanet/service-kit/testing';
import { createAccount, createEndpoint, startApp, startReplica, type TestApp } from './support/harness.js';
import { messagesOf } from './support/streams.js';

/** Optimistic concurrency on ENDPOINTS, and the projection of facts written by other apps. */
describe('event-sourced endpoints', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startApp();
    ({ key } = await createAccount(t));
  });

  afterAll(async () => {
    await t?.close();
  });

  const factsOf = async (endpointId: string): Promise<{ seq: number; fact: EndpointFact }[]> =>
    (await messagesOf(t.nats, 'endpoints'))
      .filter((m) => m.json.endpoint.id === endpointId)
      .map((m) => ({ seq: m.seq, fact: m.json as EndpointFact }));

  it('of concurrent conflicting PATCHes one wins and the others get 409', async () => {
    const endpoint = await createEndpoint(t, key);
    const path = `/v1/endpoints/${endpoint.id}`;
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.request('PATCH', path, { token: key, body: { description: `writer ${i}` } }),
      ),
    );
    const won = responses.filter((r) => r.status === 200);
    const lost = responses.filter((r) => r.status === 409);
    expect(won.length + lost.length).toBe(8);
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(lost.length).toBeGreaterThanOrEqual(1);
    expect(lost[0]!.body).toEqual({
      error: {
        code: 'conflict',
        message: 'the endpoint was changed by another request; read it again and retry',
        details: [],
      },
    });
    // Only the winners' facts are on the stream, versions 1..n without gaps, and the row is the last of them.
    const facts = await factsOf(endpoint.id);
    expect(facts.map((f) => f.fact.endpoint.version)).toEqual(facts.map((_, i) => i + 1));
    expect(facts).toHaveLength(1 + won.length);
    const last = facts[facts.length - 1]!.fact.endpoint;
    const current = await t.request('GET', path, { token: key });
    expect(current.body).toMatchObject({ version: last.version, description: last.description });
    expect(won.map((r) => r.body.description)).toContain(last.description);
  });

  it('writes each fact with the full snapshot, the actor and encrypted secrets only', async () => {
    const endpoint = await createEndpoint(t, key, { description: 'snapshot' });
    const [created] = await factsOf(endpoint.id);
    expect(created!.fact).toMatchObject({ type: 'endpoint.created', actor: expect.stringMatching(/^key_/) });
    expect(created!.fact.endpoint).toMatchObject({
      id: endpoint.id,
      description: 'snapshot',
      version: 1,
      enabled: true,
    });
    expect(created!.fact.endpoint.secrets).toHaveLength(1);
    expect(created!.fact.endpoint.secrets[0]!.ciphertext).toMatch(/^v1\.k1\./);
    const rows = await t.sql<{ stream_seq: string }>(
      'SELECT stream_seq FROM subscriptions.endpoints WHERE id = $1',
      [endpoint.id],
    );
    expect(Number(rows[0]!.stream_seq)).toBe(created!.seq);
  });

  it('projects facts written by other apps, and then writes on top of them', async () => {
    const endpoint = await createEndpoint(t, key);
    const [created] = await factsOf(endpoint.id);
    const state = created!.fact.endpoint;
    const autoDisabled: EndpointFact = {
      type: 'endpoint.disabled',
      endpoint: {
        ...state,
        enabled: false,
        disabled_reason: 'auto_failing',
        version: 2,
        updated_at: new Date().toISOString(),
      },
      actor: 'scheduler',
      occurred_at: new Date().toISOString(),
    };
    const subject = t.nats.topology.endpoint(state.account_id, state.id);
    await publishJson(t.nats.js, subject, autoDisabled, { expectLastSubjectSequence: created!.seq });
    const path = `/v1/endpoints/${endpoint.id}`;
    await waitFor(
      async () => (await t.request('GET', path, { token: key })).body.disabled_reason === 'auto_failing',
      {
        what: 'the scheduler fact to be projected',
      },
    );
    const enabled = await t.request('POST', `${path}/enable`, { token: key });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null, version: 3 });
  });

  it('a replica re-applies every fact at boot without changing rows, and rebuilds deleted rows', async () => {
    const before = await t.sql('SELECT * FROM subscriptions.endpoints ORDER BY id');
    expect(before.length).toBeGreaterThan(0);
    const replica = await startReplica(t);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await t.sql('SELECT * FROM subscriptions.endpoints ORDER BY id')).toEqual(before);
      await t.sql('DELETE FROM subscriptions.endpoints');
    } finally {
      await replica.close();
    }
    const rebuilt = await startReplica(t);
    try {
      await waitFor(
        async () => (await t.sql('SELECT id FROM subscriptions.endpoints')).length === before.length,
        {
          what: 'the projection to be rebuilt from ENDPOINTS',
        },
      );
      const after = await t.sql('SELECT * FROM subscriptions.endpoints ORDER BY id');
      const withoutDeletedAt = (rows: Record<string, unknown>[]): unknown[] =>
        rows.map(({ deleted_at: _d, ...rest }) => rest);
      expect(withoutDeletedAt(after)).toEqual(withoutDeletedAt(before));
    } finally {
      await rebuilt.close();
    }
  });
});
