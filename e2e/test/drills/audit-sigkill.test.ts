/**
 * Drill: SIGKILL audit-log mid-batch (twice) under load. Projections store their stream position in the same
 * transaction as the rows, so the restarted process neither skips nor repeats: one row per delivery, one row per
 * attempt fact, none missing, none doubled.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Drill } from '../../src/drills/drill.js';
import { describeLedger } from '../../src/drills/ledger.js';

describe('drill: SIGKILL audit-log mid-batch', () => {
  let drill: Drill;

  beforeAll(async () => {
    drill = await Drill.start();
  }, 120_000);

  afterAll(async () => {
    await drill?.stop();
  }, 60_000);

  it('projects every fact exactly once after the crash', async () => {
    const audit = drill.stack.app('audit-log');
    await drill.load(150, 12, async (second) => {
      if (second === 4 || second === 8) {
        await audit.stop('SIGKILL');
        audit.start();
        await audit.waitHealthy(60_000);
      }
    });
    const report = await drill.ledger(120_000);
    process.stderr.write(`audit-log SIGKILL ledger: ${describeLedger(report)}\n`);
    expect(report.missing).toEqual([]);
    expect(report.delivered).toBe(report.expected);
    expect(report.auditSucceeded).toBe(report.expected);
    expect(report.auditDeliveryRows).toBe(report.expected);
    expect(report.auditDistinctDeliveries).toBe(report.auditDeliveryRows);
    expect(report.attemptRowsMissing).toEqual([]);
    expect(report.attemptRowsExtra).toEqual([]);
    expect(report.attemptRows).toBe(report.attemptFacts);
  }, 240_000);
});
