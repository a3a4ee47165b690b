import { describe, expect, it } from '@jest/globals';
import { readHeader } from './headers.js';

describe('readHeader', () => {
  it('finds a header in any letter case', () => {
    expect(readHeader({ 'Webhook-Id': 'evt_1' }, 'webhook-id')).toBe('evt_1');
    expect(readHeader({ 'webhook-id': 'evt_1' }, 'WEBHOOK-ID')).toBe('evt_1');
  });

  it('reads Fetch Headers', () => {
    expect(readHeader(new Headers({ 'X-CodePlanet-Timestamp': '1' }), 'x-codeplanet-timestamp')).toBe('1');
    expect(readHeader(new Headers(), 'x-codeplanet-timestamp')).toBeUndefined();
  });

  it('joins repeated values with a space and tolerates undefined', () => {
    expect(readHeader({ 'webhook-signature': ['v1,a', 'v1,b'] }, 'webhook-signature')).toBe('v1,a v1,b');
    expect(readHeader({ 'webhook-signature': undefined }, 'webhook-signature')).toBeUndefined();
    expect(readHeader({}, 'webhook-signature')).toBeUndefined();
  });
});
