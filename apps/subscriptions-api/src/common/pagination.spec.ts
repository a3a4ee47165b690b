import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor, toPage } from './pagination.js';

const id = (n: number): string => `ep_01JEX3M5V8Q2T9ZK7W4N6R1B${String(n).padStart(2, '0')}`;

describe('cursor', () => {
  it('round-trips an id and looks opaque', () => {
    const cursor = encodeCursor(id(1));
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('ep_');
    expect(decodeCursor(cursor)).toBe(id(1));
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$%'],
    ['random text', Buffer.from('hello').toString('base64url')],
    ['wrong version', Buffer.from(`v2:${id(1)}`).toString('base64url')],
    ['extra parts', Buffer.from(`v1:${id(1)}:x`).toString('base64url')],
    ['sql in the id', Buffer.from("v1:ep_1' or '1'='1").toString('base64url')],
    ['too long', 'a'.repeat(201)],
  ])('rejects %s', (_name, cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });
});

describe('toPage', () => {
  const rows = [1, 2, 3, 4].map((n) => ({ id: id(n), n }));

  it('returns a cursor after the last row shown when more rows exist', () => {
    const page = toPage(rows, 3, (row) => row.n);
    expect(page.data).toEqual([1, 2, 3]);
    expect(decodeCursor(page.next_cursor!)).toBe(id(3));
  });

  it('returns no cursor on the last page', () => {
    expect(toPage(rows, 4, (row) => row.n)).toEqual({ data: [1, 2, 3, 4], next_cursor: null });
    expect(toPage([], 10, (row: { id: string }) => row)).toEqual({ data: [], next_cursor: null });
  });
});
