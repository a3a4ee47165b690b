/** A counting semaphore that allocates no promise while a slot is free (the hot path of a busy consumer). */
export class Slots {
  #used = 0;
  #waiters: Array<() => void> = [];
  #idleWaiters: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`slot count must be a positive integer, got ${size}`);
  }

  get inUse(): number {
    return this.#used;
  }

  /** Resolves once a slot is held by the caller. */
  acquire(): Promise<void> | void {
    if (this.#used < this.size) {
      this.#used++;
      return;
    }
    return new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) {
      next(); // the slot passes straight to the waiter
      return;
    }
    this.#used--;
    if (this.#used === 0) {
      const idle = this.#idleWaiters;
      this.#idleWaiters = [];
      idle.forEach((resolve) => resolve());
    }
  }

  /** Resolves when no slot is held. */
  idle(): Promise<void> {
    if (this.#used === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }
}
