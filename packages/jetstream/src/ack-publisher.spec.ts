import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errors, headers } from '@nats-io/transport-node';
import { AckPublisher, parsePubAck } from './ack-publisher.js';
import { isApiError, isWrongLastSequence, ApiCodes } from './errors.js';
import { encodeJson, publishJson } from './publish.js';
import { createTestJetStream, type TestJetStream } from './testing.js';

describe('AckPublisher (real NATS)', () => {
  let t: TestJetStream;
  let publisher: AckPublisher;
  let subject: (endpoint: string) => string;

  beforeAll(async () => {
    t = await createTestJetStream();
    publisher = new AckPublisher(t.nc, 2_000);
    subject = (endpoint) => t.topology.outcome(endpoint);
  });

  afterAll(async () => {
    publisher.close();
    await t.cleanup();
  });

  it('answers with the stream and sequence, and stores the message with its headers', async () => {
    const ack = await publisher.publish(subject('ep_a'), encodeJson({ n: 1 }), {
      msgId: 'ack-pub-1',
      headers: { 'Codeplanet-Test': 'yes' },
    });
    expect(ack).toMatchObject({ stream: t.topology.stream('outcomes'), duplicate: false });
    const stored = await t.jsm.streams.getMessage(ack.stream, { seq: ack.seq });
    expect(stored?.json()).toEqual({ n: 1 });
    expect(stored?.header.get('Codeplanet-Test')).toBe('yes');
    expect(stored?.header.get('Nats-Msg-Id')).toBe('ack-pub-1');
  });

  it('reports a second publish with the same msgId as a duplicate of the first', async () => {
    const first = await publisher.publish(subject('ep_b'), encodeJson({ n: 2 }), { msgId: 'ack-pub-2' });
    const again = await publisher.publish(subject('ep_b'), encodeJson({ n: 2 }), { msgId: 'ack-pub-2' });
    expect(again).toEqual({ ...first, duplicate: true });
  });

  it('keeps many concurrent publishes apart: each gets its own sequence', async () => {
    const acks = await Promise.all(
      Array.from({ length: 200 }, (_, i) => publisher.publish(subject('ep_c'), encodeJson({ i }))),
    );
    expect(new Set(acks.map((a) => a.seq)).size).toBe(200);
  });

  it('rejects a failed optimistic-concurrency expectation with the API error', async () => {
    const endpointSubject = t.topology.endpoint('acc_x', 'ep_occ');
    await publisher.publish(endpointSubject, encodeJson({ v: 1 }), { expectLastSubjectSequence: 0 });
    const lost = publisher.publish(endpointSubject, encodeJson({ v: 2 }), { expectLastSubjectSequence: 0 });
    const err = await lost.catch((e: unknown) => e);
    expect(isWrongLastSequence(err)).toBe(true);
    expect(isApiError(err, ApiCodes.StreamWrongLastSequence)).toBe(true);
  });

  it('says no stream answered when nobody listens on the subject, after its retries', async () => {
    await expect(
      publisher.publish(`${t.prefix}.nowhere.at.all`, encodeJson({}), { retries: 2 }),
    ).rejects.toThrow('no responders');
  });

  it('times out when the subject is answered by nobody in time', async () => {
    const silent = t.nc.subscribe(`${t.prefix}.silent`, { callback: () => undefined });
    const started = Date.now();
    const err = await publisher
      .publish(`${t.prefix}.silent`, encodeJson({}), { timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.TimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    silent.unsubscribe();
  });

  it('is what publishJson uses for a nats.js client', async () => {
    const ack = await publishJson(t.js, subject('ep_d'), { via: 'publishJson' }, { msgId: 'ack-pub-3' });
    const again = await publishJson(t.js, subject('ep_d'), { via: 'publishJson' }, { msgId: 'ack-pub-3' });
    expect(again).toEqual({ ...ack, duplicate: true });
  });
});

describe('parsePubAck', () => {
  const msg = (body: string, status?: number) => {
    const h = status === undefined ? undefined : headers(status);
    return { data: new TextEncoder().encode(body), headers: h };
  };

  it('reads a PubAck and defaults duplicate to false', () => {
    expect(parsePubAck(msg('{"stream":"S","seq":7}'))).toEqual({
      stream: 'S',
      seq: 7,
      duplicate: false,
      domain: '',
    });
  });

  it('names what is wrong with an unreadable answer', () => {
    expect(() => parsePubAck(msg('not json'))).toThrow('invalid PubAck: not json');
    expect(() => parsePubAck(msg('{"seq":1}'))).toThrow('invalid PubAck: no stream or sequence');
  });

  it('turns an API error body into the error nats.js would raise', () => {
    let caught: unknown;
    try {
      parsePubAck(msg('{"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 4"}}'));
    } catch (err) {
      caught = err;
    }
    expect(isWrongLastSequence(caught)).toBe(true);
  });
});
