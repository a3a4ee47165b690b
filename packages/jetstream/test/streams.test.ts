import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { createTopology } from '@codeplanet/event-schemas';
import { ensureConsumer } from '../src/consumers.js';
import { provisionStreams, streamDefinitions } from '../src/streams.js';
import { createTestJetStream, deleteStreamsWithPrefix, type TestJetStream } from '../src/testing.js';

describe('provisionStreams', () => {
  let t: TestJetStream;

  beforeAll(async () => {
    t = await createTestJetStream({ provision: false });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('creates the seven streams with the designed retention, then is idempotent', async () => {
    const first = await provisionStreams(t.jsm, t.topology);
    const second = await provisionStreams(t.jsm, t.topology);
    expect(Object.keys(second).sort()).toEqual(
      ['accounts', 'audit', 'deliveries', 'endpoints', 'events', 'outcomes', 'retries'].sort(),
    );
    expect(second.events.created).toEqual(first.events.created);

    const cfg = (key: keyof typeof second) => second[key].config;
    expect(cfg('events').subjects).toEqual([`${t.prefix}.events.>`]);
    expect(cfg('events').max_age).toBe(nanos(7 * 24 * 3600 * 1000));
    expect(cfg('events').duplicate_window).toBe(nanos(120_000));
    expect(cfg('endpoints').max_age).toBe(0);
    expect(cfg('accounts').max_age).toBe(0);
    expect(cfg('deliveries').retention).toBe(RetentionPolicy.Workqueue);
    expect(cfg('retries').retention).toBe(RetentionPolicy.Workqueue);
    expect(cfg('outcomes').retention).toBe(RetentionPolicy.Limits);
    expect(cfg('audit').retention).toBe(RetentionPolicy.Limits);
    for (const info of Object.values(second)) {
      expect(info.config.storage).toBe(StorageType.File);
      expect(info.config.num_replicas).toBe(1);
    }
  });

  it('updates changed limits in place', async () => {
    const infos = await provisionStreams(t.jsm, t.topology, {
      outcomesMaxAgeMs: 3_600_000,
      eventsMaxAgeMs: 86_400_000,
    });
    expect(infos.outcomes.config.max_age).toBe(nanos(3_600_000));
    expect(infos.events.config.max_age).toBe(nanos(86_400_000));
  });

  it('survives two provisioners racing on fresh streams', async () => {
    const topology = createTopology(`${t.prefix}r`);
    try {
      const results = await Promise.all([
        provisionStreams(t.jsm, topology),
        provisionStreams(t.jsm, topology),
        provisionStreams(t.jsm, topology),
      ]);
      for (const r of results) expect(r.deliveries.config.name).toBe(`${t.prefix}r_DELIVERIES`);
    } finally {
      await deleteStreamsWithPrefix(t.jsm, `${t.prefix}r`);
    }
  });

  it('caps the dedupe window at max_age', () => {
    const defs = streamDefinitions(createTopology('x'), { eventsMaxAgeMs: 30_000 });
    const events = defs.find((d) => d.name === 'x_EVENTS');
    expect(events?.duplicate_window).toBe(nanos(30_000));
  });
});

describe('ensureConsumer', () => {
  let t: TestJetStream;

  beforeAll(async () => {
    t = await createTestJetStream();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('creates, repeats and updates a durable pull consumer', async () => {
    const stream = t.topology.stream('outcomes');
    const base = { durable_name: 'projector', ack_wait: nanos(30_000), max_ack_pending: 5_000 };
    const created = await ensureConsumer(t.jsm, stream, base);
    expect(created.config.ack_policy).toBe(AckPolicy.Explicit);
    await ensureConsumer(t.jsm, stream, base);
    const updated = await ensureConsumer(t.jsm, stream, { ...base, max_ack_pending: 20_000 });
    expect(updated.config.max_ack_pending).toBe(20_000);
  });

  it('survives concurrent creation from several processes', async () => {
    const stream = t.topology.stream('retries');
    const cfg = {
      durable_name: 'retry-worker',
      ack_wait: nanos(60_000),
      backoff: [nanos(60_000), nanos(300_000)],
      max_deliver: 3,
      max_ack_pending: 50_000,
    };
    const infos = await Promise.all([1, 2, 3, 4].map(() => ensureConsumer(t.jsm, stream, cfg)));
    for (const info of infos) expect(info.config.max_deliver).toBe(3);
  });

  it('rejects a non-editable change with the server error', async () => {
    const stream = t.topology.stream('events');
    await ensureConsumer(t.jsm, stream, { durable_name: 'fanout' });
    await expect(
      ensureConsumer(t.jsm, stream, { durable_name: 'fanout', deliver_policy: DeliverPolicy.New }),
    ).rejects.toThrow(/deliver policy/);
  });
});

describe('deleteStreamsWithPrefix', () => {
  it('refuses an empty prefix', async () => {
    const t = await createTestJetStream({ provision: false });
    try {
      await expect(deleteStreamsWithPrefix(t.jsm, '')).rejects.toThrow(/empty prefix/);
    } finally {
      await t.cleanup();
    }
  });
});
