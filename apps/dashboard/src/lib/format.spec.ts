import { describe, expect, it } from '@jest/globals';
import { envelopeOf } from './event.js';
import { isoToLocalInput, localInputToIso, percent, STATUS_SYMBOL } from './format.js';

describe('formatting', () => {
  it('uses the seed symbols', () => {
    expect(STATUS_SYMBOL).toEqual({ succeeded: '✓', failed: '✗', pending: '⏳' });
  });

  it('formats rates', () => {
    expect(percent(null)).toBe('—');
    expect(percent(1)).toBe('100%');
    expect(percent(0.875)).toBe('87.5%');
  });

  it('round-trips datetime-local values through ISO', () => {
    const iso = localInputToIso('2026-12-04T15:30');
    expect(iso).toMatch(/^2026-12-0\dT\d\d:30:00\.000Z$/);
    expect(isoToLocalInput(iso)).toBe('2026-12-04T15:30');
    expect(localInputToIso('')).toBe('');
  });
});

describe('envelopeOf', () => {
  const envelope = { id: 'evt_1', type: 'payment.completed', data: { amount: 1 } };
  it('finds the envelope in either answer shape', () => {
    expect(envelopeOf({ event: envelope, deliveries: [] })).toEqual(envelope);
    expect(envelopeOf({ ...envelope, deliveries: [] })).toEqual(envelope);
    expect(envelopeOf(envelope)).toEqual(envelope);
  });
});
