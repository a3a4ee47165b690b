/**
 * Drill: SIGKILL one of two delivery-workers under load, restart it (as a supervisor would). Nothing is lost: every
 * acknowledged event reaches every endpoint, the surviving worker keeps delivering meanwhile, and audit-log ends
 * with exactly one succeeded row per delivery and one attempt row per attempt fact. Duplicates are allowed (crash
 * window) and reported.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Drill } from '../../src/drills/drill.js';
import { describeLedger } from '../../src/drills/ledger.js';

describe('drill: SIGKILL a delivery-worker under load', () => {
  let drill: Drill;

  beforeAll(async () => {
    drill = await Drill.start({ workers: 2 });
  }, 120_000);

  afterAll(async () => {
    await drill?.stop();
  }, 60_000);

  it('loses nothing and keeps delivering', async () => {
    const victim = drill.stack.app('delivery-worker', 0);
    let killedAt = 0;
    let restartedAt = 0;
    await drill.load(120, 12, async (second) => {
      if (second === 4) {
        await victim.stop('SIGKILL');
        killedAt = Date.now();
      }
      if (second === 7) {
        victim.start();
        restartedAt = Date.now();
        await victim.waitHealthy(60_000);
      }
    });
    const report = await drill.ledger(120_000);
    process.stderr.write(`worker SIGKILL ledger: ${describeLedger(report)}\n`);
    // The other worker delivered while the victim was dead.
    expect(drill.receiver.countBetween(killedAt + 500, restartedAt)).toBeGreaterThan(0);
    expect(report.failedToPublish).toBe(0);
    expect(report.missing).toEqual([]);
    expect(report.delivered).toBe(report.expected);
    expect(report.auditSucceeded).toBe(report.expected);
    expect(report.auditDistinctDeliveries).toBe(report.auditDeliveryRows);
    expect(report.attemptRowsMissing).toEqual([]);
    expect(report.attemptRowsExtra).toEqual([]);
    expect(report.attemptRows).toBe(report.attemptFacts);
  }, 240_000);
});
