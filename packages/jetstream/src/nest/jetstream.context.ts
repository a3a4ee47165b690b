import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { createTopology, type Topology } from '@codeplanet/event-schemas';
import { connectNats } from '../connection.js';
import type { LogSink } from '../logger.js';
import { writeQueue } from '../write-queue.js';
import type { JetStreamContext, JetStreamModuleOptions } from './tokens.js';

/** The `JETSTREAM` value: one connection per process, shared by every module of the app. */
export class JetStreamConnection implements JetStreamContext {
  #connected = true;
  #beforeDrain: Array<() => Promise<void>> = [];
  #shutdown: Promise<void> | undefined;

  constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly topology: Topology,
  ) {
    void this.#trackStatus();
  }

  isConnected(): boolean {
    return this.#connected && !this.nc.isClosed();
  }

  beforeDrain(stop: () => Promise<void>): void {
    this.#beforeDrain.push(stop);
  }

  /** Runs the before-drain hooks (stop pulling, finish in-flight work), then drains. Idempotent. */
  shutdown(logger?: LogSink): Promise<void> {
    this.#shutdown ??= (async () => {
      const results = await Promise.allSettled(this.#beforeDrain.map((stop) => stop()));
      for (const r of results) {
        if (r.status === 'rejected') logger?.error(`stop before drain failed: ${String(r.reason)}`);
      }
      await writeQueue.settled(); // queued acks and publishes go out before the drain
      if (!this.nc.isClosed()) await this.nc.drain();
    })();
    return this.#shutdown;
  }

  async #trackStatus(): Promise<void> {
    try {
      for await (const s of this.nc.status()) {
        if (s.type === 'disconnect' || s.type === 'close') this.#connected = false;
        if (s.type === 'reconnect') this.#connected = true;
      }
    } catch {
      this.#connected = false;
    }
  }
}

/** Connects and builds the `JETSTREAM` value (provisioning is done by the module on init). */
export async function createJetStreamConnection(
  options: JetStreamModuleOptions,
  logger?: LogSink,
): Promise<JetStreamConnection> {
  const topology = createTopology(options.prefix);
  const nc = await connectNats({
    servers: options.servers,
    name: options.name,
    waitOnFirstConnect: options.waitOnFirstConnect ?? false,
    ...(logger ? { logger } : {}),
  });
  try {
    const jsm = await jetstreamManager(nc);
    return new JetStreamConnection(nc, jetstream(nc), jsm, topology);
  } catch (err) {
    await nc.close();
    throw err;
  }
}
