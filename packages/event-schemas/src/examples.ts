import type { EventType } from './event-types.js';
import { deepFreeze } from './freeze.js';
import type { TypedEvent } from './types.js';

const ACCOUNT = 'acct_01JEB466803CSCFW7VHZ8ARM3C';

/**
 * One realistic event per type. `POST /v1/endpoints/:id/test` sends these (with a fresh id and `test: true`), and
 * the unit tests check each one against its schema, so an example can never drift from its schema.
 */
export const EXAMPLES: { readonly [T in EventType]: TypedEvent<T> } = deepFreeze({
  'payment.completed': {
    id: 'evt_01JEX3M5V8Q2T9ZK7W4N6R1B3C',
    type: 'payment.completed',
    account_id: ACCOUNT,
    created_at: '2026-12-04T15:00:00.000Z',
    test: false,
    data: { payment_id: 'pay_3QK8TzL2mX', user_id: 'usr_42', amount: 1999, currency: 'USD', plan: 'pro' },
  },
  'payment.failed': {
    id: 'evt_01JEBW78TJFECJY02X3KCHBCBM',
    type: 'payment.failed',
    account_id: ACCOUNT,
    created_at: '2026-12-04T15:02:11.412Z',
    test: false,
    data: {
      payment_id: 'pay_3QK9Ab7Lpe',
      user_id: 'usr_1187',
      amount: 4900,
      currency: 'EUR',
      failure_code: 'card_declined',
      failure_message: 'Your card was declined.',
    },
  },
  'subscription.created': {
    id: 'evt_01JECM8BD41MY6X092FCVF66E0',
    type: 'subscription.created',
    account_id: ACCOUNT,
    created_at: '2026-12-03T09:15:42.108Z',
    test: false,
    data: {
      subscription_id: 'sub_9HqM2xWcT4',
      user_id: 'usr_42',
      plan: 'pro',
      interval: 'month',
      current_period_end: '2027-01-03T09:15:42.000Z',
    },
  },
  'subscription.cancelled': {
    id: 'evt_01JEDC9DZPC56YWCHA4JZSPQQM',
    type: 'subscription.cancelled',
    account_id: ACCOUNT,
    created_at: '2026-12-03T18:40:05.731Z',
    test: false,
    data: {
      subscription_id: 'sub_7LrN5yQaK2',
      user_id: 'usr_905',
      plan: 'team',
      cancelled_at: '2026-12-03T18:40:05.000Z',
      reason: 'too_expensive',
    },
  },
  'submission.accepted': {
    id: 'evt_01JEE4AGJ8VD857KFJQ96JJESZ',
    type: 'submission.accepted',
    account_id: ACCOUNT,
    created_at: '2026-12-04T11:27:39.054Z',
    test: false,
    data: {
      submission_id: 'sbm_7Tn4KqW1zR',
      user_id: 'usr_42',
      problem_id: 'two-sum',
      language: 'python3',
      runtime_ms: 48,
    },
  },
  'certificate.earned': {
    id: 'evt_01JEEWBK4TQ05GHRG86V3N87QZ',
    type: 'certificate.earned',
    account_id: ACCOUNT,
    created_at: '2026-12-02T16:05:00.219Z',
    test: false,
    data: {
      certificate_id: 'cert_5Vb8RwP3nJ',
      user_id: 'usr_42',
      title: 'Algorithms I: Sorting and Searching',
      issued_at: '2026-12-02T16:05:00.000Z',
    },
  },
  'streak.milestone': {
    id: 'evt_01JEFMCNQC6Q5NFF762E9ARECS',
    type: 'streak.milestone',
    account_id: ACCOUNT,
    created_at: '2026-12-04T06:00:03.877Z',
    test: false,
    data: { user_id: 'usr_42', days: 30, reached_at: '2026-12-04T06:00:00.000Z' },
  },
});
