import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { splitOutcome } from '@codeplanet/event-schemas';
import type { FactPublisher, PublishRequest } from './fact-publisher.js';
import { OutcomeBatcher } from './outcome-batcher.js';

class RecordingPublisher implements FactPublisher {
  readonly sent: PublishRequest[] = [];
  failNext: Error | null = null;
  async publish(request: PublishRequest): Promise<{ seq: number; duplicate: boolean }> {
    this.sent.push(request);
    const failure = this.failNext;
    this.failNext = null;
    if (failure) return Promise.reject(failure);
    return Promise.resolve({ seq: this.sent.length, duplicate: false });
  }
}

const fact = (subject: string, delivery: string, body: string | null = 'ok'): PublishRequest => ({
  subject,
  msgId: `${delivery}:1:delivery.succeeded`,
  payload: { type: 'attempt.succeeded', delivery_id: delivery, attempt: 1, response_body: body },
});

describe('OutcomeBatcher', () => {
  let target: RecordingPublisher;
  beforeEach(() => {
    jest.useFakeTimers();
    target = new RecordingPublisher();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('puts the facts of one subject that arrive within the linger into one message, in order', async () => {
    const batcher = new OutcomeBatcher(target, { lingerMs: 5 });
    const results = [fact('o.ep_1', 'd1'), fact('o.ep_1', 'd2'), fact('o.ep_1', 'd3')].map((r) =>
      batcher.publish(r),
    );
    expect(target.sent).toHaveLength(0);
    jest.advanceTimersByTime(5);
    await expect(Promise.all(results)).resolves.toEqual([
      { seq: 1, duplicate: false },
      { seq: 1, duplicate: false },
      { seq: 1, duplicate: false },
    ]);
    expect(target.sent).toHaveLength(1);
    const [message] = target.sent;
    expect(message!.subject).toBe('o.ep_1');
    expect(message!.msgId).toMatch(/^facts:[A-Za-z0-9_-]{32}$/);
    expect(splitOutcome(message!.payload).map((f) => (f as { delivery_id: string }).delivery_id)).toEqual([
      'd1',
      'd2',
      'd3',
    ]);
  });

  it('publishes a fact alone in its window as it is, under its own msgID', async () => {
    const batcher = new OutcomeBatcher(target, { lingerMs: 5 });
    const single = fact('o.ep_1', 'd1');
    const done = batcher.publish(single);
    jest.advanceTimersByTime(5);
    await done;
    expect(target.sent).toEqual([single]);
  });

  it('keeps subjects apart and names a batch by its facts', async () => {
    const batcher = new OutcomeBatcher(target, { lingerMs: 5 });
    const again = new OutcomeBatcher(new RecordingPublisher(), { lingerMs: 5 });
    const pending = [
      batcher.publish(fact('o.ep_1', 'd1')),
      batcher.publish(fact('o.ep_2', 'd2')),
      batcher.publish(fact('o.ep_1', 'd3')),
      again.publish(fact('o.ep_1', 'd1')),
      again.publish(fact('o.ep_1', 'd3')),
    ];
    jest.advanceTimersByTime(5);
    await Promise.all(pending);
    expect(target.sent.map((r) => r.subject).sort()).toEqual(['o.ep_1', 'o.ep_2']);
    const batch = target.sent.find((r) => r.subject === 'o.ep_1')!;
    // The same facts in the same order make the same msgID, so a retried publish is stored once.
    const twin = await new Promise<PublishRequest>((resolve) => {
      const recorder: FactPublisher = {
        publish: (r) => {
          resolve(r);
          return Promise.resolve({ seq: 1, duplicate: true });
        },
      };
      const b = new OutcomeBatcher(recorder, { lingerMs: 5 });
      void b.publish(fact('o.ep_1', 'd1'));
      void b.publish(fact('o.ep_1', 'd3'));
      jest.advanceTimersByTime(5);
    });
    expect(twin.msgId).toBe(batch.msgId);
  });

  it('publishes at once when a batch is full, by count or by size', async () => {
    const batcher = new OutcomeBatcher(target, { lingerMs: 1_000, maxFacts: 2, maxBytes: 20_000 });
    const full = [batcher.publish(fact('o.ep_1', 'd1')), batcher.publish(fact('o.ep_1', 'd2'))];
    await Promise.all(full);
    expect(target.sent).toHaveLength(1);
    // A 4 KiB body counts six times (JSON escapes): the second such fact would pass maxBytes, so the first goes.
    const big = 'x'.repeat(3_000);
    const first = batcher.publish(fact('o.ep_2', 'd3', big));
    const second = batcher.publish(fact('o.ep_2', 'd4', big));
    await first;
    expect(target.sent).toHaveLength(2);
    jest.advanceTimersByTime(1_000);
    await second;
    expect(target.sent).toHaveLength(3);
  });

  it('rejects every fact of a batch whose publish failed, and goes on with the next', async () => {
    const batcher = new OutcomeBatcher(target, { lingerMs: 5 });
    target.failNext = new Error('no responders');
    const failed = [batcher.publish(fact('o.ep_1', 'd1')), batcher.publish(fact('o.ep_1', 'd2'))];
    jest.advanceTimersByTime(5);
    for (const result of failed) await expect(result).rejects.toThrow('no responders');
    const next = batcher.publish(fact('o.ep_1', 'd3'));
    jest.advanceTimersByTime(5);
    await expect(next).resolves.toEqual({ seq: 2, duplicate: false });
  });

  it('passes through at once without a linger, and for conditional or header-carrying publishes', async () => {
    const off = new OutcomeBatcher(target, { lingerMs: 0 });
    await off.publish(fact('o.ep_1', 'd1'));
    const on = new OutcomeBatcher(target, { lingerMs: 5 });
    await on.publish({ ...fact('o.ep_1', 'd2'), headers: { a: 'b' } });
    await on.publish({ ...fact('o.ep_1', 'd3'), expectLastSubjectSequence: 4 });
    expect(target.sent).toHaveLength(3);
    expect(on.pending).toBe(0);
  });

  it('flushAll publishes every open batch without waiting for the timers', async () => {
    const batcher = new OutcomeBatcher(target, { lingerMs: 60_000 });
    const pending = [batcher.publish(fact('o.ep_1', 'd1')), batcher.publish(fact('o.ep_2', 'd2'))];
    expect(batcher.pending).toBe(2);
    batcher.flushAll();
    await Promise.all(pending);
    expect(target.sent).toHaveLength(2);
  });
});
