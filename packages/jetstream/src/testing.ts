/**
 * Test helpers (`@codeplanet/jetstream/testing`): every suite gets its own stream prefix on the shared server and
 * deletes its streams afterwards, so suites can run in parallel against one NATS.
 */
import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createTopology, type Topology } from '@codeplanet/event-schemas';
import { provisionStreams, type ProvisionOptions } from './streams.js';

export const DEFAULT_TEST_NATS_URL = 'nats://127.0.0.1:4222';

/** `t` + 10 random lowercase letters/digits: a valid topology prefix. */
export function uniqueStreamPrefix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(10);
  return 't' + Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Deletes every stream named `<prefix>_*` (the topology naming), with its consumers. Refuses an empty prefix,
 * which would match production stream names. Returns the deleted names.
 */
export async function deleteStreamsWithPrefix(jsm: JetStreamManager, prefix: string): Promise<string[]> {
  if (!prefix) throw new Error('refusing to delete streams with an empty prefix');
  const start = prefix.endsWith('_') ? prefix : `${prefix}_`;
  const names: string[] = [];
  for await (const name of jsm.streams.names()) {
    if (name.startsWith(start)) names.push(name);
  }
  await Promise.all(names.map((name) => jsm.streams.delete(name).catch(() => false)));
  return names;
}

export interface TestJetStream {
  prefix: string;
  topology: Topology;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Deletes this suite's streams and closes the connection. */
  cleanup(): Promise<void>;
}

export interface TestJetStreamOptions {
  servers?: string;
  prefix?: string;
  /** Provision the seven streams (default true). */
  provision?: boolean;
  streamOptions?: ProvisionOptions;
}

export async function createTestJetStream(options: TestJetStreamOptions = {}): Promise<TestJetStream> {
  const prefix = options.prefix ?? uniqueStreamPrefix();
  const topology = createTopology(prefix);
  const nc = await connect({
    servers: options.servers ?? process.env.NATS_URL ?? DEFAULT_TEST_NATS_URL,
    name: `test-${prefix}`,
  });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  if (options.provision ?? true) await provisionStreams(jsm, topology, options.streamOptions);
  return {
    prefix,
    topology,
    nc,
    js,
    jsm,
    async cleanup() {
      try {
        await deleteStreamsWithPrefix(jsm, prefix);
      } finally {
        await nc.close();
      }
    },
  };
}
