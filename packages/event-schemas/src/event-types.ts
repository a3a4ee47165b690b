/** The seven event types of CONTRACT.md §1. The order is the catalogue's display order. */
export const EVENT_TYPES = [
  'payment.completed',
  'payment.failed',
  'subscription.created',
  'subscription.cancelled',
  'submission.accepted',
  'certificate.earned',
  'streak.milestone',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

const KNOWN = new Set<string>(EVENT_TYPES);

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && KNOWN.has(value);
}
