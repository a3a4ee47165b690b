import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { ensureConsumer } from '../src/consumers.js';
import { publishJson } from '../src/publish.js';
import { runPullConsumer } from '../src/pull-consumer.js';
import { createTestJetStream, type TestJetStream } from '../src/testing.js';
import { silentLogger, sleep, waitFor } from './helpers.js';

describe('runPullConsumer', () => {
  let t: TestJetStream;
  let stream: string;

  beforeAll(async () => {
    t = await createTestJetStream();
    stream = t.topology.stream('outcomes');
  });
  afterAll(async () => {
    await t.cleanup();
  });

  /** A durable consumer on its own subject of OUTCOMES, so tests do not see each other's messages. */
  async function setup(name: string, extra: Record<string, unknown> = {}): Promise<string> {
    const subject = t.topology.outcome(name);
    await ensureConsumer(t.jsm, stream, {
      durable_name: name,
      filter_subject: subject,
      max_ack_pending: 10_000,
      ...extra,
    });
    return subject;
  }

  /** Async publishes in windows, so a loaded machine does not time out thousands of outstanding PubAcks. */
  async function publishMany(subject: string, count: number): Promise<void> {
    for (let start = 0; start < count; start += 500) {
      const acks: Array<Promise<unknown>> = [];
      for (let i = start; i < Math.min(count, start + 500); i++) acks.push(publishJson(t.js, subject, { i }));
      await Promise.all(acks);
    }
  }

  it('keeps at most maxInHand handlers running and acks every message', async () => {
    const subject = await setup('bounded');
    await publishMany(subject, 200);
    let running = 0;
    let maxRunning = 0;
    const seen = new Set<number>();
    const handle = runPullConsumer({
      js: t.js,
      stream,
      consumer: 'bounded',
      maxInHand: 5,
      logger: silentLogger,
      handle: async (msg) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(2 + (msg.seq % 5));
        seen.add(msg.json<{ i: number }>().i);
        running--;
        msg.ack();
      },
    });
    await waitFor(() => seen.size === 200, 20_000, 'all messages handled');
    await handle.stop();
    await t.nc.flush();
    expect(maxRunning).toBe(5);
    const info = await t.jsm.consumers.info(stream, 'bounded');
    expect(info.num_pending).toBe(0);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
  });

  it('naks with the configured delay when the handler throws, then redelivers', async () => {
    const subject = await setup('failing');
    await publishJson(t.js, subject, { fail: true });
    const deliveries: Array<{ count: number; at: number }> = [];
    const errors: unknown[] = [];
    const handle = runPullConsumer({
      js: t.js,
      stream,
      consumer: 'failing',
      maxInHand: 2,
      nakDelayMs: 400,
      logger: silentLogger,
      onError: (err) => errors.push(err),
      handle: (msg) => {
        deliveries.push({ count: msg.info.deliveryCount, at: Date.now() });
        if (msg.info.deliveryCount === 1) return Promise.reject(new Error('receiver down'));
        msg.ack();
        return Promise.resolve();
      },
    });
    await waitFor(() => deliveries.length === 2, 5_000, 'redelivery');
    await handle.stop();
    const [first, second] = deliveries;
    expect(second!.count).toBe(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(380);
    expect(second!.at - first!.at).toBeLessThan(1_500);
    expect(errors).toHaveLength(1);
    await t.nc.flush();
    const info = await t.jsm.consumers.info(stream, 'failing');
    expect(info.num_ack_pending).toBe(0);
  });

  it('does not nak again when the handler answered before throwing', async () => {
    const subject = await setup('termed');
    await publishJson(t.js, subject, { poison: true });
    const counts: number[] = [];
    const handle = runPullConsumer({
      js: t.js,
      stream,
      consumer: 'termed',
      maxInHand: 1,
      nakDelayMs: 50,
      logger: silentLogger,
      onError: () => undefined,
      handle: (msg: JsMsg) => {
        counts.push(msg.info.deliveryCount);
        msg.term('bad payload');
        return Promise.reject(new Error('after term'));
      },
    });
    await waitFor(() => counts.length === 1, 5_000, 'delivery');
    await sleep(600);
    await handle.stop();
    expect(counts).toEqual([1]);
  });

  it('acks on resolve with autoAck', async () => {
    const subject = await setup('autoack');
    await publishMany(subject, 20);
    let handled = 0;
    const handle = runPullConsumer({
      js: t.js,
      stream,
      consumer: 'autoack',
      maxInHand: 4,
      autoAck: true,
      logger: silentLogger,
      handle: () => {
        handled++;
        return Promise.resolve();
      },
    });
    await waitFor(() => handled === 20, 5_000, 'handled');
    await handle.stop();
    await t.nc.flush();
    const info = await t.jsm.consumers.info(stream, 'autoack');
    expect(info.num_ack_pending).toBe(0);
    expect(info.ack_floor.stream_seq).toBeGreaterThan(0);
  });

  it('stop() stops pulling and waits for in-flight handlers', async () => {
    const subject = await setup('stopping', { ack_wait: nanos(30_000) });
    await publishMany(subject, 3);
    let started = 0;
    let finished = 0;
    const handle = runPullConsumer({
      js: t.js,
      stream,
      consumer: 'stopping',
      maxInHand: 3,
      logger: silentLogger,
      handle: async (msg) => {
        started++;
        await sleep(400);
        msg.ack();
        finished++;
      },
    });
    await waitFor(() => handle.inHand() === 3, 5_000, 'three in hand');
    const stoppedAt = Date.now();
    await handle.stop();
    expect(finished).toBe(3);
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(300);
    await handle.stop(); // idempotent

    await publishMany(subject, 5);
    await sleep(500);
    expect(started).toBe(3);
    const info = await t.jsm.consumers.info(stream, 'stopping');
    expect(info.num_pending).toBe(5);
  });

  it('recovers when its consumer is deleted and recreated under it', async () => {
    const subject = await setup('phoenix');
    let handled = 0;
    const handle = runPullConsumer({
      js: t.js,
      stream,
      consumer: 'phoenix',
      maxInHand: 2,
      autoAck: true,
      logger: silentLogger,
      handle: () => {
        handled++;
        return Promise.resolve();
      },
    });
    await publishMany(subject, 2);
    await waitFor(() => handled === 2, 5_000, 'first batch');
    await t.jsm.consumers.delete(stream, 'phoenix');
    await sleep(200);
    await ensureConsumer(t.jsm, stream, {
      durable_name: 'phoenix',
      filter_subject: subject,
      deliver_policy: DeliverPolicy.New,
    });
    await publishMany(subject, 3);
    await waitFor(() => handled === 5, 45_000, 'messages after recreation');
    await handle.stop();
  }, 60_000);

  it('starts before its consumer exists and picks it up once created', async () => {
    const subject = t.topology.outcome('late');
    let handled = 0;
    const handle = runPullConsumer({
      js: t.js,
      stream,
      consumer: 'late',
      maxInHand: 1,
      autoAck: true,
      logger: silentLogger,
      onError: () => undefined,
      handle: () => {
        handled++;
        return Promise.resolve();
      },
    });
    await sleep(300);
    await ensureConsumer(t.jsm, stream, { durable_name: 'late', filter_subject: subject });
    await publishJson(t.js, subject, { late: true });
    await waitFor(() => handled === 1, 10_000, 'late consumer');
    await handle.stop();
  });

  it('moves thousands of messages per second with a bounded hand', async () => {
    const subject = await setup('throughput', { max_ack_pending: 20_000 });
    const total = 10_000;
    await publishMany(subject, total);
    let handled = 0;
    const started = Date.now();
    const handle = runPullConsumer({
      js: t.js,
      stream,
      consumer: 'throughput',
      maxInHand: 256,
      logger: silentLogger,
      handle: (msg) => {
        handled++;
        msg.ack();
        return Promise.resolve();
      },
    });
    await waitFor(() => handled === total, 30_000, 'throughput run');
    const rate = Math.round(total / ((Date.now() - started) / 1000));
    await handle.stop();
    console.log(`runPullConsumer throughput: ${rate} msg/s (handle + ack, maxInHand 256)`);
    // A loose floor: CI shares two cores with everything else; the number above is the informative part.
    expect(rate).toBeGreaterThan(500);
  });
});
