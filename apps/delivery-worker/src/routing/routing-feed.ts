import {
  DeliverPolicy,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { PULL_EXPIRES_MS } from '@codeplanet/jetstream';
import type { EndpointFact, Topology } from '@codeplanet/event-schemas';
import type { RoutingTable } from './routing-table.js';

export interface FeedLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Keeps the routing map in step with ENDPOINTS: an ordered consumer starting at the last fact of every endpoint
 * subject, then following live. `ready` turns true once the map holds everything the stream held at start-up;
 * the worker must not fan out or deliver before that (it would miss endpoints).
 */
export class RoutingFeed {
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private caughtUp = false;
  private ended = false;
  private stopping = false;
  private markReady!: () => void;
  private readonly readyPromise = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly topology: Topology,
    private readonly table: RoutingTable,
    private readonly log: FeedLog,
    private readonly onApplied: () => void = () => undefined,
  ) {}

  /** Caught up at start-up and still following (the health check). */
  get ready(): boolean {
    return this.caughtUp && !this.ended;
  }

  /** Starts following ENDPOINTS; resolves once the map has caught up with the stream as it was at the call. */
  async start(): Promise<void> {
    const stream = this.topology.stream('endpoints');
    const info = await this.jsm.streams.info(stream);
    const targetSeq = info.state.last_seq;
    if (info.state.messages === 0) this.setReady();
    const consumer = await this.js.consumers.get(stream, { deliver_policy: DeliverPolicy.LastPerSubject });
    this.messages = await consumer.consume({ expires: PULL_EXPIRES_MS });
    this.loop = this.follow(this.messages, targetSeq);
    await this.readyPromise;
    this.log.log(`routing map ready: ${this.table.size} endpoints (ENDPOINTS seq ${targetSeq})`);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close().catch(() => undefined);
    await this.loop;
  }

  private async follow(messages: ConsumerMessages, targetSeq: number): Promise<void> {
    try {
      for await (const msg of messages) {
        try {
          this.table.apply(msg.json<EndpointFact>(), msg.seq);
          this.onApplied();
        } catch (error) {
          this.log.error(`skipping unreadable ENDPOINTS message seq ${msg.seq}: ${String(error)}`);
        }
        if (!this.caughtUp && (msg.seq >= targetSeq || msg.info.pending === 0)) this.setReady();
      }
    } catch (error) {
      if (!this.stopping) this.log.error(`ENDPOINTS feed stopped: ${String(error)}`);
    }
    this.ended = true;
    if (!this.stopping) this.log.error('ENDPOINTS feed ended; the routing map is no longer live');
  }

  private setReady(): void {
    this.caughtUp = true;
    this.markReady();
  }
}
