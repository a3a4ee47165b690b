/**
 * Drill: kill and restart the (drill's own) nats-server under load. Publishers retry until acknowledged; the apps
 * reconnect; every acknowledged event is delivered to every endpoint and projected exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Drill } from '../../src/drills/drill.js';
import { describeLedger } from '../../src/drills/ledger.js';

describe('drill: restart nats-server under load', () => {
  let drill: Drill;

  beforeAll(async () => {
    drill = await Drill.start();
  }, 120_000);

  afterAll(async () => {
    await drill?.stop();
  }, 60_000);

  it('loses nothing across the restart', async () => {
    const nats = drill.nats[0]!;
    let restartedAt = 0;
    await drill.load(120, 12, async (second) => {
      if (second === 4) {
        await nats.stop('SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        await nats.start();
        restartedAt = Date.now();
      }
    });
    const report = await drill.ledger(120_000);
    process.stderr.write(`nats restart ledger: ${describeLedger(report)}\n`);
    // Deliveries resumed after the restart.
    expect(drill.receiver.countBetween(restartedAt, Date.now())).toBeGreaterThan(0);
    expect(report.failedToPublish).toBe(0);
    expect(report.missing).toEqual([]);
    expect(report.delivered).toBe(report.expected);
    expect(report.auditSucceeded).toBe(report.expected);
    expect(report.auditDistinctDeliveries).toBe(report.auditDeliveryRows);
    expect(report.attemptRowsMissing).toEqual([]);
    expect(report.attemptRowsExtra).toEqual([]);
  }, 240_000);
});
