import type { EventType } from '../event-types.js';
import { deepFreeze } from '../freeze.js';
import { amount, currency, dateTime, idField, plan, text, userId } from './fields.js';

/**
 * JSON Schemas (draft 2020-12 subset understood by ajv 8) of each event type's `data`.
 * Required fields follow CONTRACT.md §1. `additionalProperties` stays open: the contract says "more may be added",
 * so a producer adding a field never breaks delivery. These objects are the single source of truth: the
 * TypeScript data types in `types.ts` are derived from them with `FromSchema`.
 */
export const paymentCompletedSchema = {
  type: 'object',
  properties: {
    payment_id: idField('the payment id', 'pay_3QK8TzL2'),
    user_id: userId,
    amount,
    currency,
    plan,
  },
  required: ['payment_id', 'user_id', 'amount', 'currency', 'plan'],
  additionalProperties: true,
} as const;

export const paymentFailedSchema = {
  type: 'object',
  properties: {
    payment_id: idField('the payment id', 'pay_3QK8TzL2'),
    user_id: userId,
    amount,
    currency,
    failure_code: text('a machine-readable failure code', 'card_declined', 100),
    failure_message: {
      type: 'string',
      maxLength: 1000,
      description: 'a human-readable explanation, e.g. Your card was declined.',
    },
  },
  required: ['payment_id', 'user_id', 'amount', 'currency', 'failure_code', 'failure_message'],
  additionalProperties: true,
} as const;

export const subscriptionCreatedSchema = {
  type: 'object',
  properties: {
    subscription_id: idField('the subscription id', 'sub_9HqM2xW'),
    user_id: userId,
    plan,
    interval: { type: 'string', enum: ['month', 'year'], description: 'the billing interval: month or year' },
    current_period_end: dateTime('when the paid period ends'),
  },
  required: ['subscription_id', 'user_id', 'plan', 'interval', 'current_period_end'],
  additionalProperties: true,
} as const;

export const subscriptionCancelledSchema = {
  type: 'object',
  properties: {
    subscription_id: idField('the subscription id', 'sub_9HqM2xW'),
    user_id: userId,
    plan,
    cancelled_at: dateTime('when the subscription was cancelled'),
    reason: {
      type: ['string', 'null'],
      maxLength: 1000,
      description: 'why the user cancelled, or null when they gave no reason, e.g. too_expensive',
    },
  },
  required: ['subscription_id', 'user_id', 'plan', 'cancelled_at', 'reason'],
  additionalProperties: true,
} as const;

export const submissionAcceptedSchema = {
  type: 'object',
  properties: {
    submission_id: idField('the submission id', 'sbm_7Tn4Kq'),
    user_id: userId,
    problem_id: idField('the problem id', 'two-sum'),
    language: text('the programming language', 'python3', 50),
    runtime_ms: { type: 'integer', minimum: 0, description: 'the run time in whole milliseconds, e.g. 48' },
  },
  required: ['submission_id', 'user_id', 'problem_id', 'language', 'runtime_ms'],
  additionalProperties: true,
} as const;

export const certificateEarnedSchema = {
  type: 'object',
  properties: {
    certificate_id: idField('the certificate id', 'cert_5Vb8Rw'),
    user_id: userId,
    title: text('the certificate title', 'Algorithms I', 300),
    issued_at: dateTime('when the certificate was issued'),
  },
  required: ['certificate_id', 'user_id', 'title', 'issued_at'],
  additionalProperties: true,
} as const;

export const streakMilestoneSchema = {
  type: 'object',
  properties: {
    user_id: userId,
    days: {
      type: 'integer',
      enum: [7, 30, 100],
      description: 'the streak length reached: 7, 30 or 100 days',
    },
    reached_at: dateTime('when the milestone was reached'),
  },
  required: ['user_id', 'days', 'reached_at'],
  additionalProperties: true,
} as const;

/** Every type has exactly one schema: `satisfies` fails the build if a type is added without one. */
export const DATA_SCHEMAS = deepFreeze({
  'payment.completed': paymentCompletedSchema,
  'payment.failed': paymentFailedSchema,
  'subscription.created': subscriptionCreatedSchema,
  'subscription.cancelled': subscriptionCancelledSchema,
  'submission.accepted': submissionAcceptedSchema,
  'certificate.earned': certificateEarnedSchema,
  'streak.milestone': streakMilestoneSchema,
} as const satisfies Record<EventType, { type: 'object' }>);
