/**
 * Drill: stop the (drill's own) Postgres for 20 s under load. Delivery never waits on Postgres, so deliveries go on
 * during the outage; audit-log lags, then catches up with exactly one row per delivery and per attempt.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Drill } from '../../src/drills/drill.js';
import { describeLedger } from '../../src/drills/ledger.js';

describe('drill: Postgres down for 20 s under load', () => {
  let drill: Drill;

  beforeAll(async () => {
    drill = await Drill.start();
  }, 120_000);

  afterAll(async () => {
    await drill?.stop();
  }, 60_000);

  it('keeps delivering during the outage and the audit catches up', async () => {
    let stoppedAt = 0;
    let startedAt = 0;
    await drill.load(80, 28, async (second) => {
      if (second === 3) {
        await drill.postgres.stop('fast');
        stoppedAt = Date.now();
      }
      if (second === 23) {
        await drill.postgres.start();
        startedAt = Date.now();
      }
    });
    expect(startedAt - stoppedAt).toBeGreaterThanOrEqual(19_000);
    // Deliveries during the outage (after a 2 s grace): the worker routes from memory, not from Postgres.
    const duringOutage = drill.receiver.countBetween(stoppedAt + 2_000, startedAt);
    const report = await drill.ledger(120_000);
    process.stderr.write(
      `postgres outage ledger: ${describeLedger(report)}; delivered during outage ${duringOutage}\n`,
    );
    expect(duringOutage).toBeGreaterThan(80 * 2 * 10);
    expect(report.failedToPublish).toBe(0);
    expect(report.missing).toEqual([]);
    expect(report.delivered).toBe(report.expected);
    expect(report.auditSucceeded).toBe(report.expected);
    expect(report.auditDistinctDeliveries).toBe(report.auditDeliveryRows);
    expect(report.attemptRowsMissing).toEqual([]);
    expect(report.attemptRowsExtra).toEqual([]);
  }, 240_000);
});
