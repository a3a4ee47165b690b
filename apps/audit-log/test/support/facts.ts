/** Builders for the facts other apps put on the streams, shaped per packages/event-schemas/src/messages.ts. */
import {
  exampleEvent,
  type AccountFact,
  type AuditFact,
  type EndpointFact,
  type EventEnvelope,
  type EventType,
  type ExampleOverrides,
  type OutcomeFact,
} from '@codeplanet/event-schemas';

export interface Ids {
  deliveryId: string;
  eventId: string;
  endpointId: string;
  accountId: string;
  eventType: EventType;
}

export const IDS: Ids = {
  deliveryId: 'dlv_1',
  eventId: 'evt_1',
  endpointId: 'ep_1',
  accountId: 'acct_1',
  eventType: 'payment.completed',
};

/** exampleEvent's typed overloads are too deep for a union of types; the plain envelope is all we need. */
const example = exampleEvent as unknown as (type: EventType, overrides: ExampleOverrides) => EventEnvelope;

export function envelope(ids: Ids, createdAt: string, test = false): EventEnvelope {
  return {
    ...example(ids.eventType, { id: ids.eventId, account_id: ids.accountId, created_at: createdAt }),
    test,
  };
}

export function accepted(at: string, ids: Ids = IDS): OutcomeFact {
  return {
    type: 'event.accepted',
    event: envelope(ids, at),
    deliveries: [{ delivery_id: ids.deliveryId, endpoint_id: ids.endpointId }],
    occurred_at: at,
  };
}

export interface AttemptShape {
  ok: boolean;
  status?: number | null;
  next?: string | null;
  error?: string | null;
  durationMs?: number;
  body?: string | null;
}

export function attempt(n: number, startedAt: string, shape: AttemptShape, ids: Ids = IDS): OutcomeFact {
  return {
    type: shape.ok ? 'attempt.succeeded' : 'attempt.failed',
    delivery_id: ids.deliveryId,
    event_id: ids.eventId,
    event_type: ids.eventType,
    endpoint_id: ids.endpointId,
    account_id: ids.accountId,
    attempt: n,
    started_at: startedAt,
    duration_ms: shape.durationMs ?? 12,
    status_code: shape.status === undefined ? (shape.ok ? 200 : 500) : shape.status,
    error: shape.error ?? (shape.ok ? null : 'http_status'),
    response_body: shape.body === undefined ? (shape.ok ? 'ok' : 'boom') : shape.body,
    request_headers: { 'x-codeplanet-event-id': ids.eventId, 'x-codeplanet-attempt': String(n) },
    next_attempt_at: shape.ok ? null : (shape.next ?? null),
  };
}

export function finished(
  kind: 'succeeded' | 'failed',
  at: string,
  attempts: number,
  ids: Ids = IDS,
): OutcomeFact {
  return {
    type: kind === 'succeeded' ? 'delivery.succeeded' : 'delivery.failed',
    delivery_id: ids.deliveryId,
    event_id: ids.eventId,
    event_type: ids.eventType,
    endpoint_id: ids.endpointId,
    account_id: ids.accountId,
    attempts,
    occurred_at: at,
  };
}

export function rejected(at: string, eventId: string | null, accountId: string | null): OutcomeFact {
  return {
    type: 'event.rejected',
    event_id: eventId,
    account_id: accountId,
    subject: 'events.payment.completed',
    raw: '{"id":"bad"}',
    errors: [{ field: 'data.amount', message: 'is required' }],
    occurred_at: at,
  };
}

export function retryFact(at: string, ids: Ids = IDS): AuditFact {
  return {
    id: `job_${at}`,
    actor: 'admin',
    action: 'delivery.retry',
    account_id: ids.accountId,
    target: { kind: 'delivery', id: ids.deliveryId },
    request_id: null,
    occurred_at: at,
    details: { event_id: ids.eventId, endpoint_id: ids.endpointId, event_type: ids.eventType },
  };
}

export function auditFact(id: string, accountId: string, action: string, at: string): AuditFact {
  return {
    id,
    actor: 'key_1',
    action,
    account_id: accountId,
    target: { kind: 'endpoint', id: 'ep_x' },
    request_id: 'req_1',
    occurred_at: at,
  };
}

export function endpointFact(
  type: EndpointFact['type'],
  endpointId: string,
  accountId: string,
  version: number,
  at: string,
  changes: { url?: string; enabled?: boolean } = {},
): EndpointFact {
  return {
    type,
    endpoint: {
      id: endpointId,
      account_id: accountId,
      url: changes.url ?? `https://example.test/${endpointId}`,
      events: ['*'],
      description: null,
      enabled: changes.enabled ?? true,
      disabled_reason: changes.enabled === false ? 'manual' : null,
      secrets: [{ ciphertext: 'v1.k1.iv.tag.ct', created_at: at, expires_at: null }],
      created_at: '2026-12-01T00:00:00.000Z',
      updated_at: at,
      version,
    },
    actor: 'key_1',
    occurred_at: at,
  };
}

export function accountCreated(accountId: string, at: string): AccountFact {
  return {
    type: 'account.created',
    account: { id: accountId, name: `Account ${accountId}`, created_at: at },
    occurred_at: at,
  };
}

export function keyCreated(keyId: string, accountId: string, keyHash: string, at: string): AccountFact {
  return {
    type: 'api_key.created',
    api_key: { id: keyId, account_id: accountId, key_hash: keyHash, prefix: 'cpk_test', created_at: at },
    occurred_at: at,
  };
}

export function keyRevoked(keyId: string, accountId: string, at: string): AccountFact {
  return { type: 'api_key.revoked', api_key: { id: keyId, account_id: accountId }, occurred_at: at };
}
