import { describe, expect, it } from '@jest/globals';
import { ApiError } from '@codeplanet/service-kit';
import { decodeCursor, encodeCursor, toPage } from './cursor.js';

describe('cursor', () => {
  const at = '2026-12-04T15:00:00.123456Z';

  it('round-trips', () => {
    expect(decodeCursor(encodeCursor({ at, id: 'dlv_1' }))).toEqual({ at, id: 'dlv_1' });
  });

  it.each([
    '',
    'abc',
    encodeCursor({ at: 'yesterday', id: 'x' }),
    Buffer.from('[1,2]').toString('base64url'),
  ])('rejects %p with 400 invalid_cursor', (value) => {
    expect(() => decodeCursor(value)).toThrow(ApiError);
    try {
      decodeCursor(value);
    } catch (err) {
      expect((err as ApiError).getStatus()).toBe(400);
      expect((err as ApiError).getResponse()).toMatchObject({ error: { code: 'invalid_cursor' } });
    }
  });

  it('pages: the extra row only signals a next page', () => {
    const rows = [1, 2, 3].map((n) => ({ id: `d${n}`, cursor_at: at }));
    expect(toPage(rows, 2, (r) => r.id)).toEqual({
      data: ['d1', 'd2'],
      next_cursor: encodeCursor({ at, id: 'd2' }),
    });
    expect(toPage(rows, 3, (r) => r.id).next_cursor).toBeNull();
    expect(toPage([], 3, (r: { id: string; cursor_at: string }) => r.id)).toEqual({
      data: [],
      next_cursor: null,
    });
  });
});
