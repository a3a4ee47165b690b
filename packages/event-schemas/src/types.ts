import type { FromSchema } from 'json-schema-to-ts';
import type { EventEnvelope } from './envelope.js';
import type { EventType } from './event-types.js';
import type { DATA_SCHEMAS } from './schemas/data-schemas.js';

/** `data` of each event type, derived from its JSON Schema (never written by hand). */
export type EventDataMap = { [T in EventType]: FromSchema<(typeof DATA_SCHEMAS)[T]> };
export type EventData<T extends EventType> = EventDataMap[T];

/** A fully typed event of one type: `type` narrowed, `data` typed. */
export type TypedEvent<T extends EventType> = EventEnvelope<EventData<T>> & { type: T };
/** Union of all typed events, discriminated by `type`. */
export type AnyEvent = { [T in EventType]: TypedEvent<T> }[EventType];

export type PaymentCompletedData = EventData<'payment.completed'>;
export type PaymentFailedData = EventData<'payment.failed'>;
export type SubscriptionCreatedData = EventData<'subscription.created'>;
export type SubscriptionCancelledData = EventData<'subscription.cancelled'>;
export type SubmissionAcceptedData = EventData<'submission.accepted'>;
export type CertificateEarnedData = EventData<'certificate.earned'>;
export type StreakMilestoneData = EventData<'streak.milestone'>;
