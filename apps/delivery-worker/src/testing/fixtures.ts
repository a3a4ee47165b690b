/** Builders for unit specs (excluded from the build). */
import type { DeliveryTask, EndpointFact, EndpointState, EventEnvelope } from '@codeplanet/event-schemas';

/** A well-formed secret (32 bytes of 0x01). */
export const TEST_SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

/** "Ciphertext" `enc:<plain>`; anything else fails like a wrong keyring would. */
export const fakeDecrypt = (ciphertext: string): string => {
  if (!ciphertext.startsWith('enc:')) throw new Error('bad ciphertext');
  return ciphertext.slice(4);
};

export function endpointState(overrides: Partial<EndpointState> = {}): EndpointState {
  return {
    id: 'ep_1',
    account_id: 'acct_1',
    url: 'http://127.0.0.1:9/hook',
    events: ['*'],
    description: null,
    enabled: true,
    disabled_reason: null,
    secrets: [{ ciphertext: `enc:${TEST_SECRET}`, created_at: '2026-01-01T00:00:00.000Z', expires_at: null }],
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

export function endpointFact(
  overrides: Partial<EndpointState> = {},
  type: EndpointFact['type'] = 'endpoint.created',
): EndpointFact {
  return {
    type,
    endpoint: endpointState(overrides),
    actor: 'key_1',
    occurred_at: '2026-01-01T00:00:00.000Z',
  };
}

export function envelope(overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: 'evt_1',
    type: 'payment.completed',
    account_id: 'acct_1',
    created_at: '2026-01-01T00:00:00.000Z',
    test: false,
    data: { payment_id: 'pay_1', user_id: 'usr_1', amount: 1999, currency: 'USD', plan: 'pro' },
    ...overrides,
  };
}

export function deliveryTask(overrides: Partial<DeliveryTask> = {}): DeliveryTask {
  return {
    delivery_id: 'dlv_1',
    endpoint_id: 'ep_1',
    account_id: 'acct_1',
    event: envelope(),
    first_attempt: 1,
    enqueued_at: 0,
    ...overrides,
  };
}
