import { describe, expect, it, jest } from '@jest/globals';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { runPullConsumer } from './pull-consumer.js';

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

interface FakeMsg {
  seq: number;
  subject: string;
  info: { deliveryCount: number };
  ack: jest.Mock;
  nak: jest.Mock;
  term: jest.Mock;
}

function fakeMsg(seq: number): FakeMsg {
  return { seq, subject: 's', info: { deliveryCount: 1 }, ack: jest.fn(), nak: jest.fn(), term: jest.fn() };
}

/** A consume() whose iterator yields the given messages and then ends, like one losing its server. */
function fakeJs(batches: Array<FakeMsg[] | Error>): { js: JetStreamClient; gets: () => number } {
  let gets = 0;
  const consumer = {
    consume: () => {
      const batch = batches.shift() ?? [];
      let stopped = false;
      let wake: (() => void) | undefined;
      const messages = {
        stop: () => {
          stopped = true;
          wake?.();
        },
        close: () => Promise.resolve(),
        status: async function* () {},
        async *[Symbol.asyncIterator]() {
          if (batch instanceof Error) throw batch;
          yield* batch;
          // with nothing left for this subscription, idle until stopped (unless it is the "lost server" case)
          if (batches.length > 0) return;
          if (!stopped) await new Promise<void>((resolve) => (wake = resolve));
        },
      };
      return Promise.resolve(messages);
    },
  };
  const js = {
    consumers: {
      get: () => {
        gets++;
        return Promise.resolve(consumer);
      },
    },
  } as unknown as JetStreamClient;
  return { js, gets: () => gets };
}

describe('runPullConsumer (unit)', () => {
  it('resubscribes when the consume iterator ends', async () => {
    const first = [fakeMsg(1), fakeMsg(2)];
    const second = [fakeMsg(3)];
    const { js, gets } = fakeJs([first, second]);
    const handled: number[] = [];
    const handle = runPullConsumer({
      js,
      stream: 'S',
      consumer: 'c',
      maxInHand: 1,
      autoAck: true,
      logger: silent,
      handle: (msg: JsMsg) => {
        handled.push(msg.seq);
        return Promise.resolve();
      },
    });
    const deadline = Date.now() + 3_000;
    while (handled.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await handle.stop();
    expect(handled).toEqual([1, 2, 3]);
    expect(gets()).toBe(2);
    for (const m of [...first, ...second]) expect(m.ack).toHaveBeenCalledTimes(1);
  });

  it('naks with the delay on a thrown error and never terms', async () => {
    const msg = fakeMsg(7);
    const { js } = fakeJs([[msg]]);
    const errors: unknown[] = [];
    const handle = runPullConsumer({
      js,
      stream: 'S',
      consumer: 'c',
      maxInHand: 2,
      nakDelayMs: 1234,
      autoAck: true,
      logger: silent,
      onError: (err) => errors.push(err),
      handle: () => {
        throw new Error('sync failure');
      },
    });
    const deadline = Date.now() + 3_000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await handle.stop();
    expect(msg.nak).toHaveBeenCalledWith(1234);
    expect(msg.term).not.toHaveBeenCalled();
    expect(msg.ack).not.toHaveBeenCalled();
  });

  it('releases the slot and resubscribes when the iterator fails', async () => {
    const msg = fakeMsg(9);
    const { js, gets } = fakeJs([new Error('heartbeats missed'), new Error('again'), [msg]]);
    const loopErrors: unknown[] = [];
    const handled: number[] = [];
    const handle = runPullConsumer({
      js,
      stream: 'S',
      consumer: 'c',
      maxInHand: 1,
      autoAck: true,
      logger: silent,
      onError: (err) => loopErrors.push(err),
      handle: (m: JsMsg) => {
        handled.push(m.seq);
        return Promise.resolve();
      },
    });
    const deadline = Date.now() + 5_000;
    while (handled.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await handle.stop();
    expect(handled).toEqual([9]);
    expect(gets()).toBe(3);
    expect(loopErrors.length).toBeGreaterThanOrEqual(1);
    expect(handle.inHand()).toBe(0);
  });
});
