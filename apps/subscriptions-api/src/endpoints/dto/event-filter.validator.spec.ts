import { describe, expect, it } from '@jest/globals';
import { eventFilterProblem } from './event-filter.validator.js';

describe('eventFilterProblem', () => {
  it.each([
    [['*']],
    [['payment.completed']],
    [['payment.completed', 'streak.milestone', 'certificate.earned']],
  ])('accepts %j', (filter) => {
    expect(eventFilterProblem(filter)).toBeNull();
  });

  it.each([
    [undefined, 'non-empty list'],
    ['payment.completed', 'non-empty list'],
    [[], 'non-empty list'],
    [['*', 'payment.completed'], '"*" must be the only entry'],
    [['payment.completed', 'payment.refunded'], 'unknown event type "payment.refunded"'],
    [[42], 'unknown event type 42'],
    [['PAYMENT.COMPLETED'], 'unknown event type'],
    [Array(51).fill('payment.completed'), 'at most 50'],
  ])('rejects %j', (filter, message) => {
    expect(eventFilterProblem(filter)).toContain(message);
  });
});
