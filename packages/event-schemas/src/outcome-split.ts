import type { OutcomeBatch, OutcomeFact } from './messages.js';

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const DELIVERY_ID_FIELDS = ['delivery_id', 'event_id', 'event_type', 'endpoint_id', 'account_id'] as const;

/**
 * The facts one OUTCOMES message holds, in order. A batch (`{type: 'facts', facts}`) gives its facts. The attempt
 * that ends a delivery carries the delivery's final fact in `ends_delivery` (one message instead of two, so one
 * store, one read and one ack less per delivery); it gives the attempt fact without it, then the `delivery.*`
 * fact, as if both had been published one after the other. Every other message is one fact and comes back as it
 * is, malformed or not: callers validate.
 */
export function splitOutcome(message: OutcomeFact | OutcomeBatch): OutcomeFact[];
export function splitOutcome(message: unknown): unknown[];
export function splitOutcome(message: unknown): unknown[] {
  if (isFields(message) && message.type === 'facts' && Array.isArray(message.facts)) {
    return message.facts.flatMap((fact: unknown) => splitFact(fact));
  }
  return splitFact(message);
}

function splitFact(message: unknown): unknown[] {
  if (!isFields(message) || !isFields(message.ends_delivery)) return [message];
  if (message.type !== 'attempt.succeeded' && message.type !== 'attempt.failed') return [message];
  const { ends_delivery: ending, ...attempt } = message;
  const final: Fields = { type: ending.type };
  for (const field of DELIVERY_ID_FIELDS) final[field] = message[field];
  final.attempts = ending.attempts;
  final.occurred_at = ending.occurred_at;
  return [attempt, final];
}
