export { EVENT_TYPES, isEventType, type EventType } from './event-types.js';
export { EVENT_CATALOG, type EventCatalogEntry } from './catalog.js';
export { envelopeSchema, MAX_EVENT_BYTES, type EventEnvelope } from './envelope.js';
export {
  DATA_SCHEMAS,
  paymentCompletedSchema,
  paymentFailedSchema,
  subscriptionCreatedSchema,
  subscriptionCancelledSchema,
  submissionAcceptedSchema,
  certificateEarnedSchema,
  streakMilestoneSchema,
} from './schemas/data-schemas.js';
export type {
  AnyEvent,
  EventData,
  EventDataMap,
  TypedEvent,
  PaymentCompletedData,
  PaymentFailedData,
  SubscriptionCreatedData,
  SubscriptionCancelledData,
  SubmissionAcceptedData,
  CertificateEarnedData,
  StreakMilestoneData,
} from './types.js';
export {
  validateEvent,
  validateEventData,
  eventByteLength,
  exceedsMaxEventBytes,
  type ValidationResult,
  type DataValidationResult,
  type ValidateDataOptions,
} from './validation/validate.js';
export { ROOT_FIELD, type FieldError } from './validation/messages.js';
export { createTopology, STREAM_KEYS, type StreamKey, type Topology } from './subjects.js';
export { newId, deliveryIdFor, type IdKind } from './ids.js';
export * from './messages.js';
export { splitOutcome } from './outcome-split.js';
export { exampleEvent, type ExampleOverrides } from './example-event.js';
