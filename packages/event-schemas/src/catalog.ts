import { EVENT_TYPES, type EventType } from './event-types.js';
import { EXAMPLES } from './examples.js';
import { deepFreeze } from './freeze.js';
import type { TypedEvent } from './types.js';
import { DATA_SCHEMAS } from './schemas/data-schemas.js';

export { EVENT_TYPES, isEventType, type EventType } from './event-types.js';

export interface EventCatalogEntry<T extends EventType = EventType> {
  type: T;
  description: string;
  /** JSON Schema of `data`. */
  schema: (typeof DATA_SCHEMAS)[T];
  /** A realistic event of this type (frozen: use `exampleEvent(type)` for a fresh copy to send). */
  example: TypedEvent<T>;
}

const DESCRIPTIONS: Record<EventType, string> = {
  'payment.completed': 'A payment went through: the user was charged for a plan.',
  'payment.failed': 'A payment attempt was declined or errored; the user was not charged.',
  'subscription.created': 'A user started a paid subscription (monthly or yearly).',
  'subscription.cancelled': 'A user cancelled a subscription; access ends at the end of the paid period.',
  'submission.accepted': "A user's solution to a problem passed all tests.",
  'certificate.earned': 'A user completed a track and was issued a certificate.',
  'streak.milestone': 'A user reached a 7, 30 or 100 day practice streak.',
};

/** What `GET /v1/event-types` serves: one entry per type, in `EVENT_TYPES` order. */
export const EVENT_CATALOG: { readonly [T in EventType]: EventCatalogEntry<T> } = deepFreeze(
  Object.fromEntries(
    EVENT_TYPES.map((type) => [
      type,
      { type, description: DESCRIPTIONS[type], schema: DATA_SCHEMAS[type], example: EXAMPLES[type] },
    ]),
  ) as { [T in EventType]: EventCatalogEntry<T> },
);
