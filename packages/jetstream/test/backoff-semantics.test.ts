/**
 * Pins down how nats-server redelivers on a consumer with `backoff` (see README "Consumer semantics observed").
 * retry-policy's `retryAfterNakDelay` relies on these formulas; if a server upgrade changes them, this fails.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { ensureConsumer } from '../src/consumers.js';
import { publishJson } from '../src/publish.js';
import { runPullConsumer } from '../src/pull-consumer.js';
import { createTestJetStream, type TestJetStream } from '../src/testing.js';
import { silentLogger, sleep, waitFor } from './helpers.js';

const BACKOFF_MS = [100, 300];
/** Timers on a shared 2-core machine: never early by more than a few ms, sometimes late. */
const EARLY_MS = 50;
const LATE_MS = 250;

describe('consumer backoff semantics (nats-server)', () => {
  let t: TestJetStream;
  let stream: string;

  beforeAll(async () => {
    t = await createTestJetStream();
    stream = t.topology.stream('retries');
  });
  afterAll(async () => {
    await t.cleanup();
  });

  /** Runs one message through a consumer and returns the gaps (ms) between its deliveries. */
  async function observeGaps(
    name: string,
    maxDeliver: number,
    answer: (msg: JsMsg) => void,
    waitMs: number,
  ): Promise<{ gaps: number[]; ackWaitMs: number }> {
    const subject = t.topology.retry(name);
    const info = await ensureConsumer(t.jsm, stream, {
      durable_name: name,
      filter_subject: subject,
      ack_wait: nanos(5_000), // the server replaces it with backoff[0]
      backoff: BACKOFF_MS.map((ms) => nanos(ms)),
      max_deliver: maxDeliver,
    });
    const times: number[] = [];
    const handle = runPullConsumer({
      js: t.js,
      stream,
      consumer: name,
      maxInHand: 4,
      logger: silentLogger,
      handle: (msg) => {
        times.push(Date.now());
        answer(msg);
        return Promise.resolve();
      },
    });
    await publishJson(t.js, subject, { name });
    await waitFor(() => times.length === maxDeliver, waitMs, `${maxDeliver} deliveries`);
    await sleep(BACKOFF_MS[1]! * 2); // and no delivery beyond max_deliver
    await handle.stop();
    expect(times).toHaveLength(maxDeliver);
    return {
      gaps: times.slice(1).map((at, i) => at - times[i]!),
      ackWaitMs: (info.config.ack_wait ?? 0) / 1e6,
    };
  }

  function expectGaps(actual: number[], expected: number[]): void {
    expect(actual).toHaveLength(expected.length);
    actual.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(expected[i]! - EARLY_MS);
      expect(gap).toBeLessThanOrEqual(expected[i]! + LATE_MS);
    });
  }

  it('ack-wait expiry: delivery n+1 comes backoff[n-1] after delivery n; ack_wait becomes backoff[0]', async () => {
    const { gaps, ackWaitMs } = await observeGaps('expiry', 3, () => undefined, 5_000);
    expect(ackWaitMs).toBe(BACKOFF_MS[0]);
    expectGaps(gaps, [100, 300]);
  });

  it('nak(delay) on delivery n: next delivery after delay + backoff[min(n, len)-1] - backoff[0]', async () => {
    const delay = 500;
    const { gaps } = await observeGaps('nakdelay', 4, (msg) => msg.nak(delay), 8_000);
    // n=1: 500 + 100 - 100; n=2: 500 + 300 - 100; n=3: clamped to the last backoff, 500 + 300 - 100.
    expectGaps(gaps, [500, 700, 700]);
  });

  it('nak(backoff[0]) reproduces the ladder exactly', async () => {
    const { gaps } = await observeGaps('naklad', 3, (msg) => msg.nak(BACKOFF_MS[0]), 5_000);
    expectGaps(gaps, [100, 300]);
  });

  it('plain nak() ignores backoff and redelivers at once', async () => {
    const { gaps } = await observeGaps('nakplain', 3, (msg) => msg.nak(), 5_000);
    gaps.forEach((gap) => expect(gap).toBeLessThan(60));
  });
});
