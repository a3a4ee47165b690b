import { describe, expect, it } from '@jest/globals';
import { EVENT_CATALOG } from './catalog.js';
import { EVENT_TYPES, isEventType } from './event-types.js';
import { exampleEvent } from './example-event.js';
import { validateEvent, validateEventData } from './validation/validate.js';

/** CONTRACT.md §1, copied independently of the schemas so a schema cannot drift from the contract unnoticed. */
const CONTRACT_REQUIRED: Record<string, string[]> = {
  'payment.completed': ['payment_id', 'user_id', 'amount', 'currency', 'plan'],
  'payment.failed': ['payment_id', 'user_id', 'amount', 'currency', 'failure_code', 'failure_message'],
  'subscription.created': ['subscription_id', 'user_id', 'plan', 'interval', 'current_period_end'],
  'subscription.cancelled': ['subscription_id', 'user_id', 'plan', 'cancelled_at', 'reason'],
  'submission.accepted': ['submission_id', 'user_id', 'problem_id', 'language', 'runtime_ms'],
  'certificate.earned': ['certificate_id', 'user_id', 'title', 'issued_at'],
  'streak.milestone': ['user_id', 'days', 'reached_at'],
};

describe('event types', () => {
  it('are the seven of the contract', () => {
    expect([...EVENT_TYPES].sort()).toEqual(Object.keys(CONTRACT_REQUIRED).sort());
  });

  it('isEventType recognises exactly those', () => {
    for (const type of EVENT_TYPES) expect(isEventType(type)).toBe(true);
    expect(isEventType('payment.refunded')).toBe(false);
    expect(isEventType('PAYMENT.COMPLETED')).toBe(false);
    expect(isEventType(42)).toBe(false);
    expect(isEventType(undefined)).toBe(false);
  });
});

describe('EVENT_CATALOG', () => {
  it('has one entry per type, in EVENT_TYPES order', () => {
    expect(Object.keys(EVENT_CATALOG)).toEqual([...EVENT_TYPES]);
  });

  describe.each(EVENT_TYPES)('%s', (type) => {
    const entry = EVENT_CATALOG[type];

    it('names its type and has a description', () => {
      expect(entry.type).toBe(type);
      expect(entry.description.length).toBeGreaterThan(10);
    });

    it('requires exactly the contract fields and allows more', () => {
      expect([...entry.schema.required].sort()).toEqual([...(CONTRACT_REQUIRED[type] ?? [])].sort());
      expect(entry.schema.additionalProperties).toBe(true);
    });

    it('documents every field', () => {
      for (const field of Object.values(entry.schema.properties)) {
        expect(typeof (field as { description?: unknown }).description).toBe('string');
      }
    });

    it('has an example that validates, envelope and data', () => {
      expect(entry.example.type).toBe(type);
      expect(entry.example.id).toMatch(/^evt_01J[0-9A-HJKMNP-TV-Z]{23}$/);
      expect(entry.example.account_id).toMatch(/^acct_/);
      expect(entry.example.test).toBe(false);
      expect(validateEvent(entry.example)).toEqual({ ok: true, event: entry.example });
      expect(validateEventData(type, entry.example.data).ok).toBe(true);
    });

    it('gives a fresh, valid test event from exampleEvent', () => {
      const event = exampleEvent(type, { account_id: 'acct_01JEZZZZZZZZZZZZZZZZZZZZZZ' });
      expect(event.id).not.toBe(entry.example.id);
      expect(event.test).toBe(true);
      expect(event.account_id).toBe('acct_01JEZZZZZZZZZZZZZZZZZZZZZZ');
      expect(event.data).toEqual(entry.example.data);
      expect(Date.now() - Date.parse(event.created_at)).toBeLessThan(5_000);
      expect(validateEvent(event).ok).toBe(true);
      event.data.user_id = 'usr_changed';
      expect(entry.example.data.user_id).not.toBe('usr_changed');
    });
  });

  it('examples have distinct ids', () => {
    const ids = EVENT_TYPES.map((type) => EVENT_CATALOG[type].example.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is frozen, so no caller can change the shared examples or schemas', () => {
    const example = EVENT_CATALOG['payment.completed'].example as { id: string };
    expect(() => {
      example.id = 'evt_mutated';
    }).toThrow(TypeError);
    expect(Object.isFrozen(EVENT_CATALOG['streak.milestone'].schema.properties.days.enum)).toBe(true);
  });

  it('serialises to JSON for GET /v1/event-types', () => {
    const json = JSON.parse(JSON.stringify(Object.values(EVENT_CATALOG))) as {
      type: string;
      schema: object;
    }[];
    expect(json).toHaveLength(7);
    expect(json[0]).toMatchObject({ type: 'payment.completed', schema: { type: 'object' } });
  });
});
