import type { FromSchema } from 'json-schema-to-ts';
import { EVENT_TYPES, type EventType } from './event-types.js';

/**
 * JSON Schema of the envelope (CONTRACT.md §1): what producers publish and the body every receiver gets.
 * Closed (`additionalProperties: false`) so a typo such as `accountId` is reported instead of silently ignored;
 * `data` is an object whose own schema depends on `type` (see `DATA_SCHEMAS`).
 */
export const envelopeSchema = {
  type: 'object',
  properties: {
    id: {
      type: 'string',
      pattern: '^evt_[A-Za-z0-9_-]{1,64}$',
      description:
        'the event id: evt_ followed by letters, digits, _ or -, e.g. evt_01JEX3M5V8Q2T9ZK7W4N6R1B3C',
    },
    type: { type: 'string', enum: EVENT_TYPES, description: 'the event type, e.g. payment.completed' },
    account_id: {
      type: 'string',
      pattern: '^acct_[A-Za-z0-9_-]{1,64}$',
      description:
        'the receiving account: acct_ followed by letters, digits, _ or -, e.g. acct_01JEB466803CSCFW7VHZ8ARM3C',
    },
    created_at: {
      type: 'string',
      format: 'date-time',
      description:
        'when the event happened, an ISO 8601 date-time with a time zone, e.g. 2026-12-04T15:00:00.000Z',
    },
    test: {
      type: 'boolean',
      description: 'true for sample events sent from the dashboard or the test route',
    },
    data: { type: 'object', description: "the event's payload; its fields depend on the type" },
  },
  required: ['id', 'type', 'account_id', 'created_at', 'test', 'data'],
  additionalProperties: false,
} as const;

type EnvelopeFields = FromSchema<typeof envelopeSchema>;

/**
 * The envelope type, derived from `envelopeSchema`; `TData` narrows `data`. `TypedEvent<T>` and `AnyEvent`
 * give the fully typed events.
 */
export interface EventEnvelope<TData = Record<string, unknown>> extends Omit<
  EnvelopeFields,
  'type' | 'data'
> {
  type: EventType;
  data: TData;
}

/** Largest accepted event (serialized JSON, in bytes): 256 KiB. */
export const MAX_EVENT_BYTES = 256 * 1024;
