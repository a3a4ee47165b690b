import { describe, expect, it } from '@jest/globals';
import { redact } from './redact.js';

describe('redact', () => {
  it('masks secret keys and secret-looking values at any depth', () => {
    const input = {
      url: 'https://example.com',
      secret: 'whsec_abc',
      nested: { note: 'key is cpk_Zx9-1 and whsec_QUJD', list: [{ authorization: 'Bearer x' }] },
    };
    expect(redact(input)).toEqual({
      url: 'https://example.com',
      secret: '[redacted]',
      nested: { note: 'key is [redacted] and [redacted]', list: [{ authorization: '[redacted]' }] },
    });
  });
});
