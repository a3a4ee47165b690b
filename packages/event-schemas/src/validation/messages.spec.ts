import { describe, expect, it } from '@jest/globals';
import { describeValue, fieldPath, ROOT_FIELD } from './messages.js';

describe('fieldPath', () => {
  it('turns JSON pointers into dotted paths', () => {
    expect(fieldPath('', '/data/amount')).toBe('data.amount');
    expect(fieldPath('data', '/amount')).toBe('data.amount');
    expect(fieldPath('data', '/items/0/name')).toBe('data.items[0].name');
    expect(fieldPath('', '', 'id')).toBe('id');
    expect(fieldPath('data', '', 'plan')).toBe('data.plan');
    expect(fieldPath('', '/a~1b/c~0d')).toBe('a/b.c~d');
  });

  it('names the root when there is no path', () => {
    expect(fieldPath('', '')).toBe(ROOT_FIELD);
  });
});

describe('describeValue', () => {
  it('renders values briefly', () => {
    expect(describeValue('usd')).toBe('"usd"');
    expect(describeValue('x'.repeat(100))).toHaveLength(62);
    expect(describeValue(3)).toBe('3');
    expect(describeValue(false)).toBe('false');
    expect(describeValue(null)).toBe('null');
    expect(describeValue([])).toBe('an array');
    expect(describeValue({})).toBe('an object');
    expect(describeValue(undefined)).toBe('undefined');
  });
});
