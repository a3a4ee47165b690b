import { createHmac } from 'node:crypto';
import {
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  createTopology,
  exampleEvent,
  newId,
  splitOutcome,
  type EndpointFact,
  type EndpointState,
  type EventEnvelope,
  type OutcomeFact,
  type Topology,
} from '@codeplanet/event-schemas';
import { deleteStreamsWithPrefix, provisionStreams, publishJson } from '@codeplanet/jetstream';
import { uniquePrefix, waitFor } from '@codeplanet/service-kit/testing';
import { DEV_SECRETS_KEYRING, createSecretBox, generateSecret, verifyWebhook } from '@codeplanet/signer';
import type { ReceivedRequest } from './receiver.js';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
/** The contract ladder (1m,5m,30m,2h,24h) compressed to milliseconds. */
export const FAST_LADDER = '100ms,200ms,300ms,400ms,500ms';
export const LADDER_MS = [100, 200, 300, 400, 500];

/** One suite's own streams on the shared NATS server. */
export interface TestBus {
  prefix: string;
  topology: Topology;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  cleanup(): Promise<void>;
}

export async function createBus(): Promise<TestBus> {
  const prefix = uniquePrefix();
  const topology = createTopology(prefix);
  const nc = await connect({ servers: NATS_URL, name: `test-${prefix}` });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await provisionStreams(jsm, topology);
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

const box = createSecretBox(DEV_SECRETS_KEYRING);

export interface TestEndpoint {
  id: string;
  accountId: string;
  secret: string;
  state: EndpointState;
  seq: number;
}

/** Publishes `endpoint.created` the way subscriptions-api does, with a fresh secret encrypted by the dev keyring. */
export async function createEndpoint(
  bus: TestBus,
  options: { accountId: string; url: string; events?: string[]; enabled?: boolean },
): Promise<TestEndpoint> {
  const secret = generateSecret();
  const now = new Date().toISOString();
  const state: EndpointState = {
    id: newId('ep'),
    account_id: options.accountId,
    url: options.url,
    events: options.events ?? ['*'],
    description: null,
    enabled: options.enabled ?? true,
    disabled_reason: options.enabled === false ? 'manual' : null,
    secrets: [{ ciphertext: box.encrypt(secret), created_at: now, expires_at: null }],
    created_at: now,
    updated_at: now,
    version: 1,
  };
  const fact: EndpointFact = { type: 'endpoint.created', endpoint: state, actor: 'test', occurred_at: now };
  const ack = await publishJson(bus.js, bus.topology.endpoint(state.account_id, state.id), fact, {
    expectLastSubjectSequence: 0,
  });
  return { id: state.id, accountId: state.account_id, secret, state, seq: ack.seq };
}

export function paymentEvent(accountId: string): EventEnvelope {
  const event = exampleEvent('payment.completed', { account_id: accountId, test: false });
  return event;
}

export async function publishEvent(
  bus: TestBus,
  event: EventEnvelope,
  headers?: Record<string, string>,
): Promise<void> {
  await publishJson(bus.js, bus.topology.event(event.type), event, {
    msgId: event.id,
    ...(headers ? { headers } : {}),
  });
}

export const newAccount = (): string => newId('acct');

/** Every OUTCOMES fact of the suite, as it arrives. */
export class OutcomeLog {
  readonly facts: (OutcomeFact & { subject: string })[] = [];
  /** Per stored message, in order: its subject and how many facts it held. */
  readonly messages: { subject: string; facts: number }[] = [];
  private consumed!: ConsumerMessages;
  private loop!: Promise<void>;

  /** All of OUTCOMES, or only `outcomes.<endpoint>` of one endpoint. */
  static async start(bus: TestBus, endpointId?: string): Promise<OutcomeLog> {
    const log = new OutcomeLog();
    const consumer = await bus.js.consumers.get(bus.topology.stream('outcomes'), {
      deliver_policy: DeliverPolicy.All,
      ...(endpointId ? { filter_subjects: bus.topology.outcome(endpointId) } : {}),
    });
    log.consumed = await consumer.consume();
    log.loop = (async () => {
      for await (const msg of log.consumed) {
        const facts = splitOutcome(msg.json<OutcomeFact>());
        log.messages.push({ subject: msg.subject, facts: facts.length });
        for (const fact of facts) log.facts.push({ ...fact, subject: msg.subject });
      }
    })();
    return log;
  }

  ofType<T extends OutcomeFact['type']>(type: T): (OutcomeFact & { type: T; subject: string })[] {
    return this.facts.filter((f) => f.type === type) as (OutcomeFact & { type: T; subject: string })[];
  }

  forEndpoint(endpointId: string): (OutcomeFact & { subject: string })[] {
    return this.facts.filter((f) => 'endpoint_id' in f && f.endpoint_id === endpointId);
  }

  async waitFor<T>(check: (log: OutcomeLog) => T, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
    return waitFor(() => check(this), { timeoutMs, what });
  }

  async stop(): Promise<void> {
    await this.consumed.close();
    await this.loop;
  }
}

/**
 * Checks a received request the two ways a receiver might: the signer package's verifier, and an independent
 * recomputation of both HMACs with node:crypto (key = base64-decoded part of the secret).
 */
export function expectSignedBy(request: ReceivedRequest, secret: string): void {
  verifyWebhook({ secret, headers: request.headers, body: request.body });
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const timestamp = request.headers['x-codeplanet-timestamp'];
  const hex = createHmac('sha256', key).update(`${timestamp}.${request.body}`).digest('hex');
  if (!request.headers['x-codeplanet-signature']?.split(' ').includes(`v1=${hex}`)) {
    throw new Error('x-codeplanet-signature does not match an independent HMAC');
  }
  const id = request.headers['webhook-id'];
  const ts = request.headers['webhook-timestamp'];
  const b64 = createHmac('sha256', key).update(`${id}.${ts}.${request.body}`).digest('base64');
  if (!request.headers['webhook-signature']?.split(' ').includes(`v1,${b64}`)) {
    throw new Error('webhook-signature does not match an independent HMAC');
  }
}

/** Polls `check` until it holds; on timeout the error says how far it got (`progress`). */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  progress: () => string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${progress()})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
