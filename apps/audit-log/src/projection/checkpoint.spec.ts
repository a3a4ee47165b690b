import { describe, expect, it } from '@jest/globals';
import { EMPTY_CHECKPOINT, advance, isApplied, parseMissing } from './checkpoint.js';

describe('checkpoint', () => {
  it('advances over messages applied in order, without holes', () => {
    const cp = advance(advance(EMPTY_CHECKPOINT, [1, 2, 3]), [4, 5]);
    expect(cp).toEqual({ lastSeq: 5, missing: [] });
    expect(isApplied(cp, 5)).toBe(true);
    expect(isApplied(cp, 6)).toBe(false);
  });

  it('skips exactly what was applied: a replay of 1..5 is skipped, 6 is not', () => {
    const cp = advance(EMPTY_CHECKPOINT, [1, 2, 3, 4, 5]);
    expect([1, 2, 3, 4, 5, 6].filter((seq) => isApplied(cp, seq))).toEqual([1, 2, 3, 4, 5]);
  });

  it('remembers holes when a newer message is applied first, and fills them later', () => {
    const afterNewer = advance(advance(EMPTY_CHECKPOINT, [1, 2]), [6, 7]);
    expect(afterNewer).toEqual({ lastSeq: 7, missing: [[3, 5]] });
    expect(isApplied(afterNewer, 4)).toBe(false);
    const partly = advance(afterNewer, [4]);
    expect(partly.missing).toEqual([
      [3, 3],
      [5, 5],
    ]);
    expect(advance(partly, [5, 3])).toEqual({ lastSeq: 7, missing: [] });
  });

  it('accepts unsorted input with duplicates', () => {
    expect(advance(EMPTY_CHECKPOINT, [3, 1, 2, 3, 1])).toEqual({ lastSeq: 3, missing: [] });
    expect(advance(EMPTY_CHECKPOINT, [4, 2])).toEqual({
      lastSeq: 4,
      missing: [
        [1, 1],
        [3, 3],
      ],
    });
  });

  it('starts past an aged-out stream head with the head as a hole', () => {
    const cp = advance(EMPTY_CHECKPOINT, [100, 101]);
    expect(cp).toEqual({ lastSeq: 101, missing: [[1, 99]] });
    expect(isApplied(cp, 50)).toBe(false);
  });

  it('parses the stored column defensively', () => {
    expect(parseMissing([[1, 2], 'x', [3], [4, 5]])).toEqual([
      [1, 2],
      [4, 5],
    ]);
    expect(parseMissing(null)).toEqual([]);
  });
});
