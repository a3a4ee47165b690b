interface Waiter {
  resolve(granted: boolean): void;
  timer: NodeJS.Timeout | undefined;
}

interface EndpointSlots {
  inflight: number;
  /** FIFO of callers waiting for this endpoint's next free slot. */
  waiters: Waiter[];
  /** When the endpoint last freed a slot, or became busy: tells turning-over slots from stuck ones. */
  turnover: number;
  /** Slots freed at the cap per ms over the last complete window; null until measured. */
  pace: number | null;
  /** The window being counted: its start and the slots freed at the cap since. */
  windowStart: number;
  windowReleases: number;
  /** Armed while there are waiters: sends them away when the endpoint stops freeing slots. */
  stallTimer: NodeJS.Timeout | undefined;
}

/** The pace of an endpoint is counted over windows this long (a single slow request or GC pause barely moves it). */
const PACE_WINDOW_MS = 250;
/** Waiters an endpoint of unknown pace may have, in caps: enough for a first burst, little for a hanging one. */
const UNKNOWN_PACE_QUEUE_CAPS = 4;

/**
 * Caps concurrent HTTP requests per endpoint, so one slow receiver can hold at most `maxPerEndpoint` of the
 * worker's slots. A caller may also queue for a slot (`acquire`): a released slot goes straight to the longest
 * waiter, so a busy endpoint's backlog flows at its full cap without leaving the process. Queueing is bounded per
 * endpoint and in total, and only admitted while the expected wait (waiters ahead ÷ the endpoint's recent pace at
 * its cap) fits in the caller's wait, so a slow endpoint never gathers a long queue. A waiter gives up after its
 * wait, and every waiter of an endpoint that frees no slot for `stallMs` (a hanging one) is sent away at once.
 */
export class InflightLimiter {
  private readonly endpoints = new Map<string, EndpointSlots>();
  private total = 0;
  private waiting = 0;
  private closed = false;

  constructor(
    readonly maxPerEndpoint: number,
    private readonly maxWaitersPerEndpoint = maxPerEndpoint,
    private readonly maxWaitersTotal = Number.POSITIVE_INFINITY,
    private readonly clock: () => number = Date.now,
    /** An endpoint that frees no slot for this long is stuck: its waiters are told no at once. */
    readonly stallMs = Number.POSITIVE_INFINITY,
  ) {
    if (!Number.isInteger(maxPerEndpoint) || maxPerEndpoint < 1) {
      throw new Error(`maxPerEndpoint must be a positive integer, got ${maxPerEndpoint}`);
    }
  }

  /** Takes a slot for the endpoint; false when it is at its cap. Every true must be paired with release(). */
  tryAcquire(endpointId: string): boolean {
    const slots = this.endpoints.get(endpointId);
    if (!slots) {
      this.endpoints.set(endpointId, {
        inflight: 1,
        waiters: [],
        turnover: this.clock(),
        pace: null,
        windowStart: 0,
        windowReleases: 0,
        stallTimer: undefined,
      });
      this.total += 1;
      return true;
    }
    if (slots.inflight >= this.maxPerEndpoint) return false;
    if (slots.inflight === 0) {
      // Busy again after an idle spell: close the pace window before the gap could count in it.
      slots.pace = this.paceOf(slots);
      slots.windowReleases = 0;
      slots.turnover = this.clock();
    }
    slots.inflight += 1;
    this.total += 1;
    return true;
  }

  /**
   * Takes a slot now, or queues up to `maxWaitMs` for one. False (at once) when the queue may not take the caller
   * (see `canQueue`), or when no slot was handed over in time.
   */
  acquire(endpointId: string, maxWaitMs: number): Promise<boolean> {
    if (this.tryAcquire(endpointId)) return Promise.resolve(true);
    const slots = this.endpoints.get(endpointId);
    if (!slots || !this.canQueue(endpointId, maxWaitMs)) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = { resolve, timer: undefined };
      waiter.timer = setTimeout(() => {
        this.dropWaiter(endpointId, waiter);
        resolve(false);
      }, maxWaitMs);
      slots.waiters.push(waiter);
      this.waiting += 1;
      this.watchStall(endpointId, slots);
    });
  }

  private watchStall(endpointId: string, slots: EndpointSlots): void {
    if (slots.stallTimer !== undefined || !Number.isFinite(this.stallMs)) return;
    const delay = Math.max(1, this.stallMs - (this.clock() - slots.turnover) + 1);
    slots.stallTimer = setTimeout(() => {
      slots.stallTimer = undefined;
      if (slots.waiters.length === 0) return;
      if (this.clock() - slots.turnover > this.stallMs) this.rejectWaiters(slots);
      else this.watchStall(endpointId, slots);
    }, delay);
    slots.stallTimer.unref();
  }

  private rejectWaiters(slots: EndpointSlots): void {
    for (const waiter of slots.waiters.splice(0)) {
      this.waiting -= 1;
      clearTimeout(waiter.timer);
      waiter.resolve(false);
    }
  }

  release(endpointId: string): void {
    const slots = this.endpoints.get(endpointId);
    if (!slots || slots.inflight <= 0) return;
    const now = this.clock();
    if (slots.inflight >= this.maxPerEndpoint) this.countPace(slots, now);
    slots.turnover = now;
    const next = slots.waiters.shift();
    if (next) {
      // Hand the slot over: the count stays, the waiter now owns it.
      this.waiting -= 1;
      clearTimeout(next.timer);
      next.resolve(true);
      return;
    }
    this.total -= 1;
    slots.inflight -= 1;
    // An idle endpoint keeps its measured pace (a few numbers per endpoint), so its next burst may queue at once.
    if (slots.inflight === 0 && slots.pace === null) this.endpoints.delete(endpointId);
  }

  /** Only slots freed at the cap say how fast a queue behind it moves. */
  private countPace(slots: EndpointSlots, now: number): void {
    if (slots.windowReleases === 0 || now - slots.turnover > PACE_WINDOW_MS) {
      // A new window (the endpoint just reached its cap again, or was idle in between); a short burst's window
      // still counts once it saw a cap's worth of freed slots.
      slots.pace = this.paceOf(slots);
      slots.windowStart = slots.turnover;
      slots.windowReleases = 0;
    }
    slots.windowReleases += 1;
    const elapsed = now - slots.windowStart;
    if (elapsed >= PACE_WINDOW_MS) {
      slots.pace = slots.windowReleases / elapsed;
      slots.windowStart = now;
      slots.windowReleases = 0;
    }
  }

  /** Time since the endpoint last freed a slot (or became busy); 0 when it has none in use. */
  turnoverAgeMs(endpointId: string): number {
    const slots = this.endpoints.get(endpointId);
    return slots && slots.inflight > 0 ? this.clock() - slots.turnover : 0;
  }

  /** The pace of the current window once it saw a cap's worth of freed slots, else of the last one. */
  private paceOf(slots: EndpointSlots): number | null {
    const elapsed = slots.turnover - slots.windowStart;
    if (slots.windowReleases >= this.maxPerEndpoint && elapsed > 0) return slots.windowReleases / elapsed;
    return slots.pace;
  }

  /**
   * Whether one more caller may queue for this endpoint's next free slot: within the per-endpoint and total bounds,
   * and, beyond one cap's worth of waiters, only while the expected wait fits in `maxWaitMs` (while the pace is
   * unknown: up to a few caps' worth).
   */
  canQueue(endpointId: string, maxWaitMs = Number.POSITIVE_INFINITY): boolean {
    if (this.closed || maxWaitMs <= 0) return false;
    const queued = this.endpoints.get(endpointId)?.waiters.length ?? 0;
    if (queued >= this.maxWaitersPerEndpoint || this.waiting >= this.maxWaitersTotal) return false;
    const slots = this.endpoints.get(endpointId);
    const pace = slots ? this.paceOf(slots) : null;
    if (pace === null) return queued < UNKNOWN_PACE_QUEUE_CAPS * this.maxPerEndpoint;
    return queued < this.maxPerEndpoint || this.expectedWaitMs(endpointId, queued + 1) <= maxWaitMs;
  }

  /**
   * How long the `position`-th waiter of the endpoint can expect to wait, from its recent pace at the cap; infinite
   * while the pace is unknown.
   */
  expectedWaitMs(endpointId: string, position: number): number {
    const slots = this.endpoints.get(endpointId);
    const pace = slots ? this.paceOf(slots) : null;
    return pace === null ? Number.POSITIVE_INFINITY : position / Math.max(pace, Number.MIN_VALUE);
  }

  /** Shutdown: every waiter is told no at once (its caller defers the task), and nobody queues any more. */
  close(): void {
    this.closed = true;
    for (const slots of this.endpoints.values()) this.rejectWaiters(slots);
  }

  isFull(endpointId: string): boolean {
    return (this.endpoints.get(endpointId)?.inflight ?? 0) >= this.maxPerEndpoint;
  }

  inflightFor(endpointId: string): number {
    return this.endpoints.get(endpointId)?.inflight ?? 0;
  }

  get totalInflight(): number {
    return this.total;
  }

  get totalWaiting(): number {
    return this.waiting;
  }

  private dropWaiter(endpointId: string, waiter: Waiter): void {
    const queue = this.endpoints.get(endpointId)?.waiters;
    const index = queue?.indexOf(waiter) ?? -1;
    if (!queue || index < 0) return;
    queue.splice(index, 1);
    this.waiting -= 1;
  }
}
