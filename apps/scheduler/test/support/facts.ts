import { createHash, randomBytes } from 'node:crypto';
import {
  deliveryIdFor,
  exampleEvent,
  newId,
  type AccountFact,
  type EndpointFact,
  type EndpointFactType,
  type EndpointState,
  type EventEnvelope,
  type EventType,
  type OutcomeFact,
} from '@codeplanet/event-schemas';
import type { TestWorld } from './harness.js';

// The typed overloads of exampleEvent are too deep for the checker here; the plain envelope is all tests need.
const example = exampleEvent as unknown as (
  type: EventType,
  overrides: Partial<EventEnvelope>,
) => EventEnvelope;

export function event(
  type: EventType,
  accountId: string,
  overrides: Partial<EventEnvelope> = {},
): EventEnvelope {
  return { ...example(type, { account_id: accountId, test: false }), ...overrides };
}

export function endpointState(accountId: string, overrides: Partial<EndpointState> = {}): EndpointState {
  const now = new Date().toISOString();
  return {
    id: newId('ep'),
    account_id: accountId,
    url: 'http://127.0.0.1:9/hook',
    events: ['*'],
    description: null,
    enabled: true,
    disabled_reason: null,
    secrets: [{ ciphertext: 'v1.k1.x.y.z', created_at: now, expires_at: null }],
    created_at: now,
    updated_at: now,
    version: 1,
    ...overrides,
  };
}

/** Publishes an EndpointFact on the endpoint's subject; returns its sequence. */
export async function putEndpoint(
  world: TestWorld,
  state: EndpointState,
  type: EndpointFactType = 'endpoint.created',
  actor = 'key_test',
  occurredAt = new Date(),
): Promise<number> {
  const fact: EndpointFact = { type, endpoint: state, actor, occurred_at: occurredAt.toISOString() };
  return world.publish(world.topology.endpoint(state.account_id, state.id), fact);
}

/** An account with one API key, published on ACCOUNTS. Returns the key in clear. */
export async function putAccountKey(world: TestWorld, accountId: string): Promise<string> {
  const key = `cpk_${randomBytes(24).toString('base64url')}`;
  const fact: AccountFact = {
    type: 'api_key.created',
    api_key: {
      id: newId('key'),
      account_id: accountId,
      key_hash: createHash('sha256').update(key).digest('hex'),
      prefix: key.slice(0, 8),
      created_at: new Date().toISOString(),
    },
    occurred_at: new Date().toISOString(),
  };
  await world.publish(world.topology.account(accountId), fact);
  return key;
}

/** The fan-out's `event.accepted` for one event and endpoints; returns the delivery ids. */
export async function accept(
  world: TestWorld,
  evt: EventEnvelope,
  endpointIds: string[],
  at = new Date(),
): Promise<string[]> {
  const deliveries = endpointIds.map((endpoint_id) => ({
    delivery_id: deliveryIdFor(evt.id, endpoint_id),
    endpoint_id,
  }));
  const fact: OutcomeFact = { type: 'event.accepted', event: evt, deliveries, occurred_at: at.toISOString() };
  await world.publish(world.topology.outcome('_events'), fact);
  return deliveries.map((d) => d.delivery_id);
}

export interface AttemptInput {
  evt: EventEnvelope;
  endpointId: string;
  attempt: number;
  ok: boolean;
  at?: Date;
  next?: Date | null;
  error?: string | null;
  deliveryId?: string;
}

export async function attempt(world: TestWorld, input: AttemptInput): Promise<void> {
  const at = input.at ?? new Date();
  const fact: OutcomeFact = {
    type: input.ok ? 'attempt.succeeded' : 'attempt.failed',
    delivery_id: input.deliveryId ?? deliveryIdFor(input.evt.id, input.endpointId),
    event_id: input.evt.id,
    event_type: input.evt.type,
    endpoint_id: input.endpointId,
    account_id: input.evt.account_id,
    attempt: input.attempt,
    started_at: at.toISOString(),
    duration_ms: 5,
    status_code: input.ok ? 200 : 500,
    error: input.ok ? null : (input.error ?? 'http_status'),
    response_body: null,
    request_headers: {},
    next_attempt_at: input.next === undefined || input.next === null ? null : input.next.toISOString(),
  };
  await world.publish(world.topology.outcome(input.endpointId), fact);
}

export async function finalFact(
  world: TestWorld,
  evt: EventEnvelope,
  endpointId: string,
  succeeded: boolean,
  options: { attempts?: number; at?: Date; deliveryId?: string } = {},
): Promise<void> {
  const fact: OutcomeFact = {
    type: succeeded ? 'delivery.succeeded' : 'delivery.failed',
    delivery_id: options.deliveryId ?? deliveryIdFor(evt.id, endpointId),
    event_id: evt.id,
    event_type: evt.type,
    endpoint_id: endpointId,
    account_id: evt.account_id,
    attempts: options.attempts ?? 6,
    occurred_at: (options.at ?? new Date()).toISOString(),
  };
  await world.publish(world.topology.outcome(endpointId), fact);
}

/** A delivery that ran its whole ladder and failed. */
export async function failedDelivery(
  world: TestWorld,
  evt: EventEnvelope,
  endpointId: string,
  at = new Date(),
): Promise<string> {
  const [id] = await accept(world, evt, [endpointId], new Date(at.getTime() - 1000));
  await attempt(world, { evt, endpointId, attempt: 6, ok: false, at, next: null });
  await finalFact(world, evt, endpointId, false, { at });
  return id as string;
}
