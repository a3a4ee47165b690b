/**
 * One drill's whole world: its own nats-server (or 3-node cluster) and Postgres, the four apps on them, a receiver
 * with registered endpoints and a publisher. `stop()` tears every piece down.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createTopology, type StreamKey } from '@codeplanet/event-schemas';
import { DRILL_ADMIN_TOKEN, DrillStack } from './drill-stack.js';
import { DrillPublisher, DrillReceiver, registerEndpoints, type DrillEndpoint } from './load.js';
import { settleLedger, type LedgerReport } from './ledger.js';
import { NatsNode, clusterUrl, natsCluster } from './nats-node.js';
import { PostgresNode } from './postgres-node.js';

export interface DrillOptions {
  /** A 3-node cluster with R3 streams instead of one server. */
  cluster?: boolean;
  workers?: number;
  endpoints?: number;
  env?: Record<string, string>;
}

/** A compressed ladder, so attempts that failed during a fault retry within the drill. */
export const DRILL_ENV = { RETRY_SCHEDULE: '1s,2s,4s,8s,16s', DELIVERY_TIMEOUT: '5s' };

export class Drill {
  private constructor(
    readonly nats: NatsNode[],
    readonly postgres: PostgresNode,
    readonly natsUrl: string,
    readonly stack: DrillStack,
    readonly receiver: DrillReceiver,
    readonly publisher: DrillPublisher,
    readonly accountId: string,
    readonly endpoints: DrillEndpoint[],
  ) {}

  static async start(options: DrillOptions = {}): Promise<Drill> {
    const nats = options.cluster ? await natsCluster(3) : [await NatsNode.start()];
    const natsUrl = clusterUrl(nats);
    let postgres: PostgresNode | undefined;
    let stack: DrillStack | undefined;
    const receiver = await new DrillReceiver().start();
    try {
      postgres = await PostgresNode.start();
      stack = await DrillStack.start({
        natsUrl,
        postgres,
        workers: options.workers ?? 1,
        env: { ...DRILL_ENV, ...(options.cluster ? { NATS_REPLICAS: '3' } : {}), ...options.env },
      });
      const { accountId, endpoints } = await registerEndpoints(
        stack.url('subscriptions-api'),
        DRILL_ADMIN_TOKEN,
        receiver,
        options.endpoints ?? 2,
      );
      const publisher = await DrillPublisher.connect(natsUrl, stack.prefix);
      return new Drill(nats, postgres, natsUrl, stack, receiver, publisher, accountId, endpoints);
    } catch (error) {
      await stack?.stop();
      await postgres?.destroy();
      await Promise.all(nats.map((node) => node.destroy()));
      await receiver.stop();
      throw error;
    }
  }

  /** Publishes `rate`/s for `seconds`, calling `at(second)` once per second for the fault. */
  load(rate: number, seconds: number, at: (second: number) => Promise<void> | void): Promise<void> {
    return this.publisher.run(this.accountId, rate, seconds, at);
  }

  ledger(timeoutMs: number): Promise<LedgerReport> {
    return settleLedger(
      {
        receiver: this.receiver,
        endpoints: this.endpoints,
        published: this.publisher.acked,
        failedToPublish: this.publisher.failed,
        databaseUrl: this.stack.databaseUrl,
        natsUrl: this.natsUrl,
        prefix: this.stack.prefix,
      },
      timeoutMs,
    );
  }

  /** The cluster node that leads this stream (R3 drills kill it). */
  async streamLeader(key: StreamKey): Promise<NatsNode> {
    const nc = await connect({ servers: this.natsUrl.split(',') });
    try {
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info(createTopology(this.stack.prefix).stream(key));
      const leader = info.cluster?.leader;
      const node = this.nats.find((n) => n.serverName === leader);
      if (!node) throw new Error(`no node named ${leader}`);
      return node;
    } finally {
      await nc.close();
    }
  }

  async stop(): Promise<void> {
    await this.publisher.close().catch(() => undefined);
    await this.stack.stop();
    await this.receiver.stop();
    await this.postgres.destroy();
    await Promise.all(this.nats.map((node) => node.destroy()));
  }
}
