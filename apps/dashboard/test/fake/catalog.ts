/** The seven event types of CONTRACT.md §1 with small examples: enough catalogue for the fake API. */
export const FAKE_CATALOG = [
  {
    type: 'payment.completed',
    description: 'Payment was successful',
    data: { payment_id: 'pay_123', user_id: 'usr_42', amount: 1999, currency: 'USD', plan: 'pro' },
  },
  {
    type: 'payment.failed',
    description: 'Payment failed',
    data: {
      payment_id: 'pay_124',
      user_id: 'usr_42',
      amount: 1999,
      currency: 'USD',
      failure_code: 'card_declined',
      failure_message: 'Your card was declined.',
    },
  },
  {
    type: 'subscription.created',
    description: 'New subscription started',
    data: {
      subscription_id: 'sub_9',
      user_id: 'usr_42',
      plan: 'pro',
      interval: 'month',
      current_period_end: '2027-01-04T15:00:00.000Z',
    },
  },
  {
    type: 'subscription.cancelled',
    description: 'Subscription cancelled',
    data: {
      subscription_id: 'sub_9',
      user_id: 'usr_42',
      plan: 'pro',
      cancelled_at: '2026-12-04T15:00:00.000Z',
      reason: null,
    },
  },
  {
    type: 'submission.accepted',
    description: 'Problem solved correctly',
    data: {
      submission_id: 'sbm_77',
      user_id: 'usr_42',
      problem_id: 'two-sum',
      language: 'python',
      runtime_ms: 48,
    },
  },
  {
    type: 'certificate.earned',
    description: 'Certificate awarded',
    data: {
      certificate_id: 'crt_5',
      user_id: 'usr_42',
      title: 'Algorithms I',
      issued_at: '2026-12-04T15:00:00.000Z',
    },
  },
  {
    type: 'streak.milestone',
    description: 'Streak milestone reached (7, 30, 100 days)',
    data: { user_id: 'usr_42', days: 30, reached_at: '2026-12-04T15:00:00.000Z' },
  },
] as const;

export const FAKE_TYPES: readonly string[] = FAKE_CATALOG.map((c) => c.type);
