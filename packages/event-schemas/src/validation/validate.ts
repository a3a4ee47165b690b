import { envelopeSchema, MAX_EVENT_BYTES } from '../envelope.js';
import { EVENT_TYPES, isEventType, type EventType } from '../event-types.js';
import { DATA_SCHEMAS } from '../schemas/data-schemas.js';
import type { AnyEvent, EventData } from '../types.js';
import { compiled } from './ajv.js';
import { ROOT_FIELD, toFieldErrors, type FieldError } from './messages.js';

export type ValidationResult<T> = { ok: true; event: T } | { ok: false; errors: FieldError[] };
export type DataValidationResult<T> = { ok: true; data: T } | { ok: false; errors: FieldError[] };

const textEncoder = new TextEncoder();

/** Size in bytes of a raw event (UTF-8 for strings). */
export function eventByteLength(raw: string | Uint8Array): number {
  return typeof raw === 'string' ? textEncoder.encode(raw).byteLength : raw.byteLength;
}

export function exceedsMaxEventBytes(raw: string | Uint8Array): boolean {
  return eventByteLength(raw) > MAX_EVENT_BYTES;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(field: string, message: string): { ok: false; errors: FieldError[] } {
  return { ok: false, errors: [{ field, message }] };
}

function parseRaw(
  raw: string | Uint8Array,
): { ok: true; value: unknown } | { ok: false; errors: FieldError[] } {
  const bytes = eventByteLength(raw);
  if (bytes > MAX_EVENT_BYTES) {
    return fail(ROOT_FIELD, `the event is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES} bytes (256 KiB)`);
  }
  try {
    return { ok: true, value: JSON.parse(typeof raw === 'string' ? raw : new TextDecoder().decode(raw)) };
  } catch (error) {
    return fail(ROOT_FIELD, `is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Validates an event: the envelope, then `data` against its type's schema. `input` is either the parsed value or
 * the raw message (string or bytes, e.g. a NATS payload): raw input is also checked against `MAX_EVENT_BYTES`
 * and parsed. Errors name each field (`account_id`, `data.amount`) with a message meant for the producer.
 */
export function validateEvent(input: unknown): ValidationResult<AnyEvent> {
  let value = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const parsed = parseRaw(input);
    if (!parsed.ok) return parsed;
    value = parsed.value;
  }
  if (!isPlainObject(value)) {
    return fail(ROOT_FIELD, 'must be a JSON object (the event envelope)');
  }
  const validateEnvelope = compiled(envelopeSchema);
  const errors = validateEnvelope(value) ? [] : toFieldErrors(validateEnvelope.errors, '');
  const { type, data } = value;
  if (isEventType(type) && isPlainObject(data)) {
    const dataResult = validateEventData(type, data);
    if (!dataResult.ok) errors.push(...dataResult.errors);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, event: value as unknown as AnyEvent };
}

export interface ValidateDataOptions {
  /** Prefix for field paths; default `data` (so `data.amount`). Pass `''` for bare names (`amount`). */
  path?: string;
}

/** Validates only `data` against the schema of `type`. */
export function validateEventData<T extends EventType>(
  type: T,
  data: unknown,
  options?: ValidateDataOptions,
): DataValidationResult<EventData<T>>;
export function validateEventData(
  type: string,
  data: unknown,
  options?: ValidateDataOptions,
): DataValidationResult<Record<string, unknown>>;
export function validateEventData(
  type: string,
  data: unknown,
  options: ValidateDataOptions = {},
): DataValidationResult<Record<string, unknown>> {
  const base = options.path ?? 'data';
  if (!isEventType(type)) {
    return fail(
      'type',
      `unknown event type ${JSON.stringify(type)}; expected one of ${EVENT_TYPES.join(', ')}`,
    );
  }
  const validate = compiled(DATA_SCHEMAS[type]);
  if (validate(data)) return { ok: true, data: data as Record<string, unknown> };
  return { ok: false, errors: toFieldErrors(validate.errors, base) };
}
