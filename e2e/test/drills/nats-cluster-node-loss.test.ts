/**
 * Drill: a 3-node NATS cluster on loopback, every stream R3 (NATS_REPLICAS=3). Kill the node leading DELIVERIES
 * under load and leave it dead: the streams elect new leaders, the apps reconnect to the survivors, nothing is lost
 * and delivery continues.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Drill } from '../../src/drills/drill.js';
import { describeLedger } from '../../src/drills/ledger.js';

describe('drill: lose one node of a 3-node NATS cluster (R3 streams)', () => {
  let drill: Drill;

  beforeAll(async () => {
    drill = await Drill.start({ cluster: true });
  }, 150_000);

  afterAll(async () => {
    await drill?.stop();
  }, 60_000);

  it('keeps delivering with no loss', async () => {
    const victim = await drill.streamLeader('deliveries');
    let killedAt = 0;
    await drill.load(100, 14, async (second) => {
      if (second === 4) {
        await victim.stop('SIGKILL');
        killedAt = Date.now();
      }
    });
    const report = await drill.ledger(120_000);
    process.stderr.write(`cluster node loss ledger: ${describeLedger(report)}\n`);
    process.stderr.write(
      `arrivals per second from 2 s before the kill: ${drill.receiver.perSecondFrom(killedAt - 2_000, 40).join(' ')}\n`,
    );
    // Delivery went on on the two survivors once the streams and consumers had new leaders and the workers' pulls
    // reached them (PULL_EXPIRES_MS): seconds, where nats.js's 30 s pull default stalled it for up to a minute.
    const resumed = drill.receiver.firstArrivalAfter(killedAt + 1_000);
    expect(resumed).toBeDefined();
    expect((resumed ?? Infinity) - killedAt).toBeLessThan(30_000);
    expect(report.failedToPublish).toBe(0);
    expect(report.missing).toEqual([]);
    expect(report.delivered).toBe(report.expected);
    expect(report.auditSucceeded).toBe(report.expected);
    expect(report.auditDistinctDeliveries).toBe(report.auditDeliveryRows);
    expect(report.attemptRowsMissing).toEqual([]);
    expect(report.attemptRowsExtra).toEqual([]);
  }, 300_000);
});
