import { describe, expect, it } from '@jest/globals';
import type { JsMsg } from '@codeplanet/jetstream';
import { batchesOf, type MessageSource } from './batches.js';

/** Messages pushed by the test, taken by `batchesOf` the way nats.js hands them out. */
class FakeMessages implements MessageSource {
  private readonly buffer: JsMsg[] = [];
  private waiter: ((result: IteratorResult<JsMsg>) => void) | null = null;
  private closed = false;
  /** Like nats.js after it took a status entry: pending reads 1 while the iterator waits for more. */
  private statusTaken = false;

  push(...seqs: number[]): void {
    for (const seq of seqs) {
      const msg = { seq } as JsMsg;
      this.statusTaken = false;
      if (this.waiter) {
        const resolve = this.waiter;
        this.waiter = null;
        resolve({ value: msg, done: false });
      } else this.buffer.push(msg);
    }
  }

  close(): void {
    this.closed = true;
    this.waiter?.({ value: undefined, done: true });
  }

  getPending(): number {
    return this.buffer.length + (this.statusTaken ? 1 : 0);
  }

  /** Like nats.js: a stop is processed by the iterator, after what it still holds. */
  stopped = false;

  stop(): void {
    this.stopped = true;
    this.close();
  }

  [Symbol.asyncIterator](): AsyncIterator<JsMsg> {
    return {
      next: () => {
        const msg = this.buffer.shift();
        if (msg) return Promise.resolve({ value: msg, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        this.statusTaken = true;
        return new Promise((resolve) => (this.waiter = resolve));
      },
    };
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function collect(messages: FakeMessages, batchSize: number, lingerMs: number): Promise<number[][]> {
  const batches: number[][] = [];
  for await (const batch of batchesOf(messages, batchSize, lingerMs)) batches.push(batch.map((m) => m.seq));
  return batches;
}

describe('batchesOf', () => {
  it('stops and drains the source when its caller stops early, so closing it resolves', async () => {
    for (const stopEarly of ['break', 'throw'] as const) {
      const messages = new FakeMessages();
      messages.push(1, 2, 3);
      const run = async (): Promise<void> => {
        for await (const batch of batchesOf(messages, 2, 0)) {
          expect(batch.map((m) => m.seq)).toEqual([1, 2]);
          if (stopEarly === 'throw') throw new Error('apply failed');
          break;
        }
      };
      await run().catch(() => undefined);
      expect(messages.stopped).toBe(true);
      expect(messages.getPending()).toBe(0);
    }
  });

  it('without linger, ends a batch when the buffer is empty or the batch is full', async () => {
    const messages = new FakeMessages();
    messages.push(1, 2, 3, 4, 5);
    const done = collect(messages, 2, 0);
    await sleep(5);
    messages.push(6);
    await sleep(5);
    messages.close();
    expect(await done).toEqual([[1, 2], [3, 4], [5], [6]]);
  });

  it('with linger, waits for more messages before applying a small batch, but not forever', async () => {
    const messages = new FakeMessages();
    const done = collect(messages, 100, 60);
    messages.push(1);
    await sleep(10);
    messages.push(2, 3);
    await sleep(10);
    messages.push(4);
    // Nothing more arrives: the batch is applied once the linger time has passed.
    await sleep(100);
    messages.push(5);
    await sleep(100);
    messages.close();
    expect(await done).toEqual([[1, 2, 3, 4], [5]]);
  });

  it('with linger, a full batch does not wait', async () => {
    const messages = new FakeMessages();
    messages.push(1, 2, 3);
    const started = Date.now();
    const batches: number[][] = [];
    for await (const batch of batchesOf(messages, 3, 5_000)) {
      batches.push(batch.map((m) => m.seq));
      messages.close();
    }
    expect(batches).toEqual([[1, 2, 3]]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
