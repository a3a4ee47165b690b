import { describe, expect, it } from '@jest/globals';
import { DroppedDeliveries } from './dropped-deliveries.js';

describe('DroppedDeliveries', () => {
  it('remembers recent drops, forgets on demand, and stays bounded', () => {
    const dropped = new DroppedDeliveries();
    dropped.add('dlv_first');
    dropped.add('dlv_gone');
    dropped.forget('dlv_gone');
    expect(dropped.has('dlv_first')).toBe(true);
    expect(dropped.has('dlv_gone')).toBe(false);
    // Two generations of 10k: the oldest ids go once two more generations have started.
    for (let i = 0; i < 20_000; i++) dropped.add(`dlv_${i}`);
    expect(dropped.has('dlv_first')).toBe(false);
    expect(dropped.has('dlv_19999')).toBe(true);
  });
});
