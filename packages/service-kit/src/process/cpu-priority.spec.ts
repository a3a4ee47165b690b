import { describe, expect, it } from '@jest/globals';
import { applyCpuNice } from './cpu-priority.js';

describe('applyCpuNice', () => {
  it('names the variable when the value is out of range', () => {
    expect(() => applyCpuNice(20)).toThrow(/CPU_NICE must be an integer from 0 to 19, got 20/);
    expect(() => applyCpuNice(-1)).toThrow(/CPU_NICE/);
    expect(() => applyCpuNice(2.5)).toThrow(/CPU_NICE/);
  });
});
