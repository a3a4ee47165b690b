import { describe, expect, it, jest } from '@jest/globals';
import type { JetStreamClient, JsMsg, PubAck } from '@nats-io/jetstream';
import { publishJson } from './publish.js';
import { TrackedMsg } from './tracked-msg.js';
import { WriteQueue, pacedScheduler, writeQueue } from './write-queue.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A scheduler the test runs by hand. */
function manualScheduler(): {
  schedule: (run: () => void) => void;
  runAll: () => void;
  scheduled: () => number;
} {
  let queued: Array<() => void> = [];
  let count = 0;
  return {
    schedule: (run) => {
      count++;
      queued.push(run);
    },
    runAll: () => {
      const runs = queued;
      queued = [];
      runs.forEach((run) => run());
    },
    scheduled: () => count,
  };
}

function fakeRaw(log: string[], name = 'm'): JsMsg {
  return {
    ack: () => log.push(`${name}.ack`),
    nak: (ms?: number) => log.push(`${name}.nak(${ms ?? ''})`),
    term: () => log.push(`${name}.term`),
    working: () => log.push(`${name}.working`),
    next: () => log.push(`${name}.next`),
    ackAck: () => {
      log.push(`${name}.ackAck`);
      return Promise.resolve(true);
    },
  } as unknown as JsMsg;
}

function fakeJs(log: string[], result: (subject: string) => Promise<PubAck>): JetStreamClient {
  return {
    publish: (subject: string, data: Uint8Array) => {
      log.push(`publish ${subject} ${new TextDecoder().decode(data)}`);
      return result(subject);
    },
  } as unknown as JetStreamClient;
}

describe('WriteQueue', () => {
  it('runs nothing until its turn, then everything in call order in one drain', () => {
    const s = manualScheduler();
    const q = new WriteQueue({ schedule: s.schedule });
    const log: string[] = [];
    for (let i = 0; i < 5; i++) q.enqueue(() => log.push(`op${i}`));
    void q.enqueueAsync(() => {
      log.push('async');
      return Promise.resolve(1);
    });
    q.enqueue(() => log.push('last'));
    expect(log).toEqual([]);
    expect(q.pending).toBe(7);
    expect(s.scheduled()).toBe(1);
    s.runAll();
    expect(log).toEqual(['op0', 'op1', 'op2', 'op3', 'op4', 'async', 'last']);
    expect(q.drains).toBe(1);
    expect(q.pending).toBe(0);
  });

  it('drains once per event-loop turn, also for operations queued from separate callbacks of one turn', async () => {
    const q = new WriteQueue();
    const log: number[] = [];
    await new Promise<void>((resolve) => {
      let left = 100;
      for (let i = 0; i < 100; i++) {
        setImmediate(() => {
          q.enqueue(() => log.push(i));
          if (--left === 0) resolve();
        });
      }
    });
    expect(log).toEqual([]);
    await q.settled();
    expect(log).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(q.drains).toBe(1);
    q.enqueue(() => log.push(100));
    await q.settled();
    expect(q.drains).toBe(2);
  });

  it('settles the promise of an async operation with its result or its error', async () => {
    const q = new WriteQueue();
    const ok = q.enqueueAsync(() => Promise.resolve('pub-ack'));
    const rejected = q.enqueueAsync(() => Promise.reject(new Error('wrong last sequence')));
    const thrown = q.enqueueAsync((): Promise<string> => {
      throw new Error('thrown synchronously');
    });
    await expect(ok).resolves.toBe('pub-ack');
    await expect(rejected).rejects.toThrow('wrong last sequence');
    await expect(thrown).rejects.toThrow('thrown synchronously');
  });

  it('reports a failing fire-and-forget operation and still runs the rest', () => {
    const s = manualScheduler();
    const onError = jest.fn();
    const q = new WriteQueue({ schedule: s.schedule, onError });
    const log: string[] = [];
    q.enqueue(() => log.push('before'));
    q.enqueue(() => {
      throw new Error('connection closed');
    });
    q.enqueue(() => log.push('after'));
    s.runAll();
    expect(log).toEqual(['before', 'after']);
    expect(onError).toHaveBeenCalledTimes(1);
    expect((onError.mock.calls[0]?.[0] as Error).message).toBe('connection closed');
  });

  it('flush() runs the queue now; settled() resolves at once when nothing is queued', async () => {
    const s = manualScheduler();
    const q = new WriteQueue({ schedule: s.schedule });
    let settled = false;
    await q.settled();
    q.enqueue(() => undefined);
    void q.settled().then(() => (settled = true));
    q.flush();
    await Promise.resolve();
    expect(settled).toBe(true);
    s.runAll(); // the stale scheduled drain finds nothing to do
    expect(q.drains).toBe(1);
  });
});

describe('pacedScheduler', () => {
  it('runs at once when the last run is older than the interval, else at the end of the interval', async () => {
    let clock = 1_000;
    const schedule = pacedScheduler(5, () => clock);
    const runs: number[] = [];
    schedule(() => runs.push(clock));
    await turn();
    expect(runs).toEqual([1_000]); // first run: next turn, no wait

    clock = 1_002; // 2 ms after the last run: waits the remaining 3 ms on a timer
    schedule(() => runs.push(clock));
    await turn();
    expect(runs).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runs).toHaveLength(2);

    clock = 1_100; // long idle: at once again
    schedule(() => runs.push(clock));
    await turn();
    expect(runs).toEqual([1_000, 1_002, 1_100]);
  });

  it('lets a queue gather the operations of several turns into one drain while paced', async () => {
    const queue = new WriteQueue({ schedule: pacedScheduler(30) });
    const order: number[] = [];
    queue.enqueue(() => order.push(1));
    await turn();
    expect(queue.drains).toBe(1);
    queue.enqueue(() => order.push(2));
    await turn();
    queue.enqueue(() => order.push(3));
    await turn();
    expect(order).toEqual([1]);
    await queue.settled();
    expect(order).toEqual([1, 2, 3]);
    expect(queue.drains).toBe(2);
  });
});

describe('TrackedMsg and publishJson through the queue', () => {
  it('marks the message replied at once but answers on the next turn', async () => {
    const s = manualScheduler();
    const q = new WriteQueue({ schedule: s.schedule });
    const log: string[] = [];
    const msg = new TrackedMsg(fakeRaw(log), q);
    msg.working();
    expect(msg.replied).toBe(false);
    msg.nak(500);
    expect(msg.replied).toBe(true);
    expect(log).toEqual([]);
    s.runAll();
    expect(log).toEqual(['m.working', 'm.nak(500)']);
    const acked = new TrackedMsg(fakeRaw(log, 'n'), q);
    const answered = acked.ackAck();
    s.runAll();
    await expect(answered).resolves.toBe(true);
  });

  it('keeps "publish the outcome, then ack the source" in that order and returns the PubAck', async () => {
    const log: string[] = [];
    const js = fakeJs(log, (subject) =>
      Promise.resolve({ stream: 'S', seq: subject.length, duplicate: false }),
    );
    const source = new TrackedMsg(fakeRaw(log, 'source'));
    const other = new TrackedMsg(fakeRaw(log, 'other'));
    other.ack();
    const pub = publishJson(js, 'outcomes.ep', { ok: true });
    source.ack();
    expect(log).toEqual([]);
    await writeQueue.settled();
    expect(log).toEqual(['other.ack', 'publish outcomes.ep {"ok":true}', 'source.ack']);
    await expect(pub).resolves.toEqual({ stream: 'S', seq: 11, duplicate: false });
  });

  it('propagates publish failures and snapshots the payload at call time', async () => {
    const log: string[] = [];
    const failing = fakeJs(log, () => Promise.reject(new Error('wrong last sequence')));
    const payload = { v: 1 };
    const pub = publishJson(failing, 'endpoints.a.b', payload, { expectLastSubjectSequence: 3 });
    payload.v = 2;
    await expect(pub).rejects.toThrow('wrong last sequence');
    expect(log).toEqual(['publish endpoints.a.b {"v":1}']);
    const throwing = {
      publish: () => {
        throw new Error('bad subject');
      },
    } as unknown as JetStreamClient;
    await expect(publishJson(throwing, 'x', {})).rejects.toThrow('bad subject');
    await turn();
  });
});
