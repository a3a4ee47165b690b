import { describe, expect, it } from '@jest/globals';
import { Slots } from './slots.js';

describe('Slots', () => {
  it('hands out at most size slots and passes a released slot to the next waiter', async () => {
    const slots = new Slots(2);
    expect(slots.acquire()).toBeUndefined();
    expect(slots.acquire()).toBeUndefined();
    let third = false;
    const waiting = slots.acquire();
    expect(waiting).toBeInstanceOf(Promise);
    void (waiting as Promise<void>).then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);
    slots.release();
    await waiting;
    expect(third).toBe(true);
    expect(slots.inUse).toBe(2);
  });

  it('idle() resolves when every slot is back', async () => {
    const slots = new Slots(3);
    void slots.acquire();
    void slots.acquire();
    let idle = false;
    const done = slots.idle().then(() => (idle = true));
    slots.release();
    await Promise.resolve();
    expect(idle).toBe(false);
    slots.release();
    await done;
    expect(idle).toBe(true);
    await slots.idle();
  });

  it('rejects a size below one', () => {
    expect(() => new Slots(0)).toThrow(/positive integer/);
  });
});
