import type { AccountFact, AuditFact, EndpointFact, EventEnvelope } from '@codeplanet/event-schemas';

/**
 * Everything this app writes to NATS. Services depend on this interface, never on the client, so unit tests swap
 * it and the subjects live in one place.
 */
export interface FactPublisher {
  /**
   * Appends an endpoint fact only if the endpoint's subject is still at `expectedLastSequence` (0 for a new
   * endpoint). Resolves to the fact's stream sequence; rejects with `ConcurrentChange` when another writer won.
   */
  endpointFact(fact: EndpointFact, expectedLastSequence: number): Promise<number>;
  accountFact(accountId: string, fact: AccountFact, msgId: string): Promise<void>;
  audit(fact: AuditFact): Promise<void>;
  /** Publishes to `events.<type>` with `Nats-Msg-Id` = event id; `duplicate` when that id was seen already. */
  event(event: EventEnvelope, options?: { targetEndpointId?: string }): Promise<{ duplicate: boolean }>;
}

export const FACT_PUBLISHER = Symbol('FACT_PUBLISHER');
