import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Topology } from '@codeplanet/event-schemas';
import type { ProvisionOptions } from '../streams.js';

/** Injection token of the shared connection: `@Inject(JETSTREAM) private readonly jetstream: JetStreamContext`. */
export const JETSTREAM = Symbol.for('codeplanet.jetstream');
export const JETSTREAM_MODULE_OPTIONS = Symbol.for('codeplanet.jetstream.options');

export interface JetStreamContext {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  /** False while disconnected (reconnecting) and after close. */
  isConnected(): boolean;
  /**
   * Registers work to finish before the connection drains at shutdown (e.g. `handle.stop()` of a pull loop), so
   * in-flight handlers can still ack.
   */
  beforeDrain(stop: () => Promise<void>): void;
}

export interface JetStreamModuleOptions {
  servers: string | string[];
  /** Connection name, usually the app name. */
  name: string;
  /** Stream prefix (`STREAM_PREFIX`), '' in production. */
  prefix: string;
  /** Stream replicas (`NATS_REPLICAS`). Default 1. */
  replicas?: number;
  streamOptions?: Omit<ProvisionOptions, 'replicas'>;
  /** Provision the seven streams on module init. Default true. */
  provision?: boolean;
  /** Keep retrying the first connect instead of failing boot. Default false. */
  waitOnFirstConnect?: boolean;
}
