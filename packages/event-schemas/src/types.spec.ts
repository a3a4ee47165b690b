import { describe, expect, it } from '@jest/globals';
import { EVENT_CATALOG } from './catalog.js';
import type { EventEnvelope } from './envelope.js';
import type {
  AnyEvent,
  PaymentCompletedData,
  StreakMilestoneData,
  SubscriptionCancelledData,
  SubscriptionCreatedData,
  TypedEvent,
} from './types.js';
import { validateEvent, validateEventData } from './validation/validate.js';

// Compile-time checks: `pnpm typecheck` fails if the types derived from the schemas drift from the contract.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(value: T): T => value;

describe('types derived from the schemas', () => {
  it('type data fields as the contract says', () => {
    assertType<Equal<PaymentCompletedData['amount'], number>>(true);
    assertType<Equal<PaymentCompletedData['currency'], string>>(true);
    assertType<Equal<SubscriptionCreatedData['interval'], 'month' | 'year'>>(true);
    assertType<Equal<SubscriptionCancelledData['reason'], string | null>>(true);
    assertType<Equal<StreakMilestoneData['days'], 7 | 30 | 100>>(true);
    assertType<Equal<EventEnvelope['test'], boolean>>(true);
    assertType<Equal<EventEnvelope['id'], string>>(true);

    const data: PaymentCompletedData = {
      payment_id: 'p',
      user_id: 'u',
      amount: 1,
      currency: 'USD',
      plan: 'pro',
    };
    // @ts-expect-error plan is required
    const missing: PaymentCompletedData = { payment_id: 'p', user_id: 'u', amount: 1, currency: 'USD' };
    // @ts-expect-error days is 7, 30 or 100
    const badDays: StreakMilestoneData = { user_id: 'u', days: 14, reached_at: '2026-12-04T00:00:00Z' };
    expect([data, missing, badDays]).toHaveLength(3);
  });

  it('narrow a validated event by its type', () => {
    const result = validateEvent(EVENT_CATALOG['payment.completed'].example);
    if (!result.ok) throw new Error('example must validate');
    const event: AnyEvent = result.event;
    const asEnvelope: EventEnvelope = event;
    if (event.type === 'payment.completed') {
      const amount: number = event.data.amount;
      expect(amount).toBe(1999);
    }
    expect(asEnvelope.id).toBe(event.id);
  });

  it('type validated data by the given event type', () => {
    const result = validateEventData(
      'subscription.created',
      EVENT_CATALOG['subscription.created'].example.data,
    );
    if (!result.ok) throw new Error('example must validate');
    const interval: 'month' | 'year' = result.data.interval;
    expect(interval).toBe('month');
    const typed: TypedEvent<'streak.milestone'> = EVENT_CATALOG['streak.milestone'].example;
    expect(typed.data.days).toBe(30);
  });
});
