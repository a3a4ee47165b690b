import { describe, expect, it } from '@jest/globals';
import { recordset } from './sql.js';

/** What the statements used to send: a replacer dropping NULs from every string value. */
function withReplacer(rows: unknown[]): string {
  return JSON.stringify(rows, (_key, value: unknown) =>
    typeof value === 'string' ? value.replaceAll('\u0000', '') : value,
  );
}

describe('recordset', () => {
  it('drops NUL characters from strings at any depth', () => {
    const rows = [
      { body: 'a\u0000b\u0000\u0000', headers: { 'x-h': '\u0000v' }, data: { list: ['\u0000'] } },
    ];
    expect(JSON.parse(recordset(rows))).toEqual([
      { body: 'ab', headers: { 'x-h': 'v' }, data: { list: [''] } },
    ]);
  });

  it('keeps a backslash followed by the text u0000, and backslashes next to a NUL', () => {
    const values = ['\\u0000', '\\\\u0000', '\\\u0000', '\\\\\u0000x', 'u0000\u0000\\', '"\u0000"'];
    for (const value of values) {
      expect(JSON.parse(recordset([{ value }]))).toEqual([{ value: value.replaceAll('\u0000', '') }]);
    }
  });

  it('sends the same text as a replacer would', () => {
    const alphabet = ['\u0000', '\\', 'u', '0', '"', 'a', '\n', '\u0001'];
    for (let seed = 1; seed < 500; seed++) {
      let value = '';
      for (let i = 0, x = seed; i < 12; i++, x = (x * 1103515245 + 12345) % 2 ** 31) value += alphabet[x % 8];
      const rows = [{ value, nested: { value } }];
      expect(recordset(rows)).toBe(withReplacer(rows));
    }
  });
});
