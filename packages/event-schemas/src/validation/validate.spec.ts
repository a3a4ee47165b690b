import { describe, expect, it } from '@jest/globals';
import { EVENT_CATALOG } from '../catalog.js';
import { MAX_EVENT_BYTES } from '../envelope.js';
import { EVENT_TYPES, type EventType } from '../event-types.js';
import { ROOT_FIELD, type FieldError } from './messages.js';
import { exceedsMaxEventBytes, validateEvent, validateEventData } from './validate.js';

type Json = Record<string, unknown>;

function example(type: EventType = 'payment.completed'): Json & { data: Json } {
  return structuredClone(EVENT_CATALOG[type].example) as unknown as Json & { data: Json };
}

function errorsOf(input: unknown): FieldError[] {
  const result = validateEvent(input);
  if (result.ok) throw new Error('expected validation to fail');
  return result.errors;
}

function errorFor(input: unknown, field: string): string {
  const found = errorsOf(input).find((error) => error.field === field);
  if (!found) throw new Error(`no error for ${field}: ${JSON.stringify(errorsOf(input))}`);
  return found.message;
}

function withData(type: EventType, patch: Json): Json {
  const event = example(type);
  return { ...event, data: { ...event.data, ...patch } };
}

describe('validateEvent: required fields', () => {
  const cases = EVENT_TYPES.flatMap((type) =>
    EVENT_CATALOG[type].schema.required.map((field) => [type, field] as const),
  );

  it.each(cases)('%s without data.%s names the field', (type, field) => {
    const event = example(type);
    delete event.data[field];
    expect(errorsOf(event)).toEqual([{ field: `data.${field}`, message: 'is required' }]);
  });

  it.each(['id', 'type', 'account_id', 'created_at', 'test', 'data'])(
    'envelope without %s names it',
    (field) => {
      const event = example();
      delete event[field];
      expect(errorsOf(event)).toContainEqual({ field, message: 'is required' });
    },
  );

  it('reports every missing field at once', () => {
    const fields = errorsOf({ ...example(), data: {} }).map((error) => error.field);
    expect(fields).toEqual(['data.payment_id', 'data.user_id', 'data.amount', 'data.currency', 'data.plan']);
  });
});

describe('validateEvent: bad values', () => {
  it.each([
    ['amount as a decimal string', { amount: '19.99' }, 'data.amount', 'must be an integer (got "19.99")'],
    ['amount with a fraction', { amount: 19.99 }, 'data.amount', 'must be an integer (got 19.99)'],
    ['negative amount', { amount: -1 }, 'data.amount', 'must be 0 or more (got -1)'],
    ['lowercase currency', { currency: 'usd' }, 'data.currency', 'ISO 4217'],
    ['4-letter currency', { currency: 'USDT' }, 'data.currency', 'got "USDT"'],
    ['numeric user id', { user_id: 42 }, 'data.user_id', 'must be a string (got 42)'],
    ['empty plan', { plan: '' }, 'data.plan', 'must not be empty'],
  ])('payment.completed with %s', (_name, patch, field, message) => {
    expect(errorFor(withData('payment.completed', patch), field)).toContain(message);
  });

  it('rejects an interval other than month or year', () => {
    expect(errorFor(withData('subscription.created', { interval: 'week' }), 'data.interval')).toBe(
      'must be one of month, year (got "week")',
    );
  });

  it.each(['2026-12-04', '2026-12-04T15:00:00', 'yesterday', '2026-02-30T10:00:00Z', 1733324400000])(
    'rejects %p as a date-time',
    (value) => {
      expect(
        errorFor(withData('subscription.created', { current_period_end: value }), 'data.current_period_end'),
      ).toMatch(/^must be (an ISO 8601 date-time|a string)/);
    },
  );

  it('accepts date-times with an offset or without fractions', () => {
    for (const value of ['2027-01-03T09:15:42Z', '2027-01-03T10:15:42.5+01:00']) {
      expect(validateEvent(withData('subscription.created', { current_period_end: value })).ok).toBe(true);
    }
  });

  it('accepts a null reason but not a number', () => {
    expect(validateEvent(withData('subscription.cancelled', { reason: null })).ok).toBe(true);
    expect(errorFor(withData('subscription.cancelled', { reason: 5 }), 'data.reason')).toBe(
      'must be a string or null (got 5)',
    );
  });

  it.each([7, 30, 100])('accepts a %i-day streak', (days) => {
    expect(validateEvent(withData('streak.milestone', { days })).ok).toBe(true);
  });

  it.each([1, 14, 365, '30'])('rejects a %p-day streak', (days) => {
    expect(errorFor(withData('streak.milestone', { days }), 'data.days')).toMatch(
      /^must be (one of 7, 30, 100|an integer)/,
    );
  });

  it('rejects a fractional runtime', () => {
    expect(errorFor(withData('submission.accepted', { runtime_ms: 1.5 }), 'data.runtime_ms')).toContain(
      'integer',
    );
  });

  it('allows fields the contract may add later', () => {
    const result = validateEvent(
      withData('payment.completed', { coupon: 'BLACKFRIDAY', tax: { amount: 300 } }),
    );
    expect(result.ok).toBe(true);
  });

  it('reports data that is not an object', () => {
    expect(errorFor({ ...example(), data: [1, 2] }, 'data')).toBe('must be an object (got an array)');
    expect(errorFor({ ...example(), data: null }, 'data')).toBe('must be an object (got null)');
  });
});

describe('validateEvent: envelope', () => {
  it('names an unknown event type and lists the known ones', () => {
    const message = errorFor({ ...example(), type: 'payment.refunded' }, 'type');
    expect(message).toContain('unknown event type "payment.refunded"');
    expect(message).toContain('payment.completed');
  });

  it('rejects ids without the evt_ prefix and accounts without acct_', () => {
    expect(errorFor({ ...example(), id: '123' }, 'id')).toContain('evt_');
    expect(errorFor({ ...example(), account_id: 'acme' }, 'account_id')).toContain('acct_');
    expect(errorFor({ ...example(), account_id: 'acct_a.b' }, 'account_id')).toContain('acct_');
  });

  it('rejects a non-boolean test flag and a bad created_at', () => {
    expect(errorFor({ ...example(), test: 'false' }, 'test')).toBe('must be true or false (got "false")');
    expect(errorFor({ ...example(), created_at: 'now' }, 'created_at')).toContain('ISO 8601');
  });

  it('names unknown envelope fields (typos)', () => {
    expect(errorFor({ ...example(), accountId: 'acct_1' }, 'accountId')).toContain('is not a known field');
  });

  it.each([null, 42, 'not json', [], true])('rejects %p as a whole', (input) => {
    expect(errorsOf(input)[0]?.field).toBe(ROOT_FIELD);
  });

  it('does not validate data against a schema when the type is unknown', () => {
    expect(errorsOf({ ...example(), type: 'nope', data: {} })).toHaveLength(1);
  });

  it('returns the event itself when valid', () => {
    const event = example('certificate.earned');
    const result = validateEvent(event);
    expect(result.ok && result.event).toBe(event);
  });
});

describe('validateEvent: raw input and the 256 KiB limit', () => {
  it('limits events to 256 KiB', () => {
    expect(MAX_EVENT_BYTES).toBe(262_144);
  });

  it('parses a JSON string or bytes', () => {
    const raw = JSON.stringify(example());
    expect(validateEvent(raw).ok).toBe(true);
    expect(validateEvent(new TextEncoder().encode(raw)).ok).toBe(true);
    expect(validateEvent(Buffer.from(raw)).ok).toBe(true);
  });

  it('reports invalid JSON', () => {
    expect(errorsOf('{"id":')[0]).toEqual({
      field: ROOT_FIELD,
      message: expect.stringContaining('not valid JSON'),
    });
  });

  /** A valid event padded (with an extra data field) to exactly `bytes` bytes of UTF-8. */
  function paddedTo(bytes: number, filler = 'x'): string {
    const base = JSON.stringify(withData('payment.completed', { note: '' }));
    const room = bytes - Buffer.byteLength(base);
    const pad = filler.repeat(Math.floor(room / Buffer.byteLength(filler)));
    const raw = JSON.stringify(withData('payment.completed', { note: pad }));
    expect(Buffer.byteLength(raw)).toBe(bytes);
    return raw;
  }

  it('accepts an event of exactly 256 KiB', () => {
    const raw = paddedTo(MAX_EVENT_BYTES);
    expect(exceedsMaxEventBytes(raw)).toBe(false);
    expect(validateEvent(raw).ok).toBe(true);
  });

  it('rejects one byte more, counting UTF-8 bytes rather than characters', () => {
    const raw = paddedTo(MAX_EVENT_BYTES + 1);
    expect(exceedsMaxEventBytes(raw)).toBe(true);
    expect(errorsOf(raw)).toEqual([{ field: ROOT_FIELD, message: expect.stringContaining('256 KiB') }]);
    const multibyte = paddedTo(MAX_EVENT_BYTES + 2, 'é');
    expect(multibyte.length).toBeLessThan(MAX_EVENT_BYTES);
    expect(validateEvent(multibyte).ok).toBe(false);
  });
});

describe('validateEventData', () => {
  it('validates data alone, with data. paths by default', () => {
    expect(
      validateEventData('streak.milestone', {
        user_id: 'usr_1',
        days: 7,
        reached_at: '2026-12-04T06:00:00Z',
      }),
    ).toEqual({
      ok: true,
      data: { user_id: 'usr_1', days: 7, reached_at: '2026-12-04T06:00:00Z' },
    });
    expect(validateEventData('streak.milestone', { days: 7 })).toEqual({
      ok: false,
      errors: [
        { field: 'data.user_id', message: 'is required' },
        { field: 'data.reached_at', message: 'is required' },
      ],
    });
  });

  it('can report bare field names', () => {
    const result = validateEventData('payment.failed', { amount: -5 }, { path: '' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.field)).toContain('amount');
  });

  it('names an unknown type', () => {
    expect(validateEventData('user.deleted', {})).toEqual({
      ok: false,
      errors: [{ field: 'type', message: expect.stringContaining('unknown event type "user.deleted"') }],
    });
  });

  it('reports non-object data at the root of the path', () => {
    expect(validateEventData('streak.milestone', 'x')).toEqual({
      ok: false,
      errors: [{ field: 'data', message: 'must be an object (got "x")' }],
    });
  });
});
