import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isWrongLastSequence } from '../src/errors.js';
import { publishJson } from '../src/publish.js';
import { createTestJetStream, type TestJetStream } from '../src/testing.js';

describe('publishJson', () => {
  let t: TestJetStream;

  beforeAll(async () => {
    t = await createTestJetStream();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('encodes JSON, sets headers and returns the PubAck', async () => {
    const subject = t.topology.event('payment.completed');
    const ack = await publishJson(
      t.js,
      subject,
      { id: 'evt_1', n: 1 },
      { headers: { 'x-target-endpoint': 'ep_1' } },
    );
    expect(ack.stream).toBe(t.topology.stream('events'));
    expect(ack.duplicate).toBe(false);
    const stored = await t.jsm.streams.getMessage(ack.stream, { seq: ack.seq });
    expect(stored?.json()).toEqual({ id: 'evt_1', n: 1 });
    expect(stored?.header.get('x-target-endpoint')).toBe('ep_1');
  });

  it('dedupes by msgId inside the window', async () => {
    const subject = t.topology.delivery('ep_dedupe');
    const first = await publishJson(t.js, subject, { a: 1 }, { msgId: 'evt_9:ep_dedupe' });
    const second = await publishJson(t.js, subject, { a: 2 }, { msgId: 'evt_9:ep_dedupe' });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    const info = await t.jsm.streams.info(t.topology.stream('deliveries'), { subjects_filter: subject });
    expect(info.state.subjects?.[subject]).toBe(1);
  });

  it('enforces expected-last-subject-sequence (optimistic concurrency)', async () => {
    const subject = t.topology.endpoint('acct_1', 'ep_1');
    const created = await publishJson(t.js, subject, { version: 1 }, { expectLastSubjectSequence: 0 });
    const updated = await publishJson(
      t.js,
      subject,
      { version: 2 },
      { expectLastSubjectSequence: created.seq },
    );
    expect(updated.seq).toBeGreaterThan(created.seq);

    // A writer that read version 1 loses against the one that already wrote version 2.
    const stale = publishJson(t.js, subject, { version: 2 }, { expectLastSubjectSequence: created.seq });
    await expect(stale).rejects.toThrow(/wrong last sequence/i);
    const err = await stale.catch((e: unknown) => e);
    expect(isWrongLastSequence(err)).toBe(true);
    // And "must be new" fails once the subject has a message.
    await expect(
      publishJson(t.js, subject, { version: 1 }, { expectLastSubjectSequence: 0 }),
    ).rejects.toThrow();
  });
});
