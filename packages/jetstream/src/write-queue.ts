import { errorMessage } from './errors.js';
import { defaultLogger } from './logger.js';

/** Runs a callback on a later event-loop turn. */
export type Scheduler = (run: () => void) => void;

export interface WriteQueueOptions {
  /** Default `setImmediate`: after this turn's I/O callbacks and their microtasks. See `pacedScheduler`. */
  schedule?: Scheduler;
  /** Errors thrown by fire-and-forget operations (ack/nak/term/working). Default: log. */
  onError?: (err: unknown) => void;
}

/**
 * Batches NATS protocol operations of one event-loop turn so they leave the process in one socket write.
 *
 * nats.js appends every protocol message to the connection's outbound buffer and, when that buffer was empty,
 * queues a microtask that writes it out. An ack or publish issued from its own I/O callback (an HTTP response,
 * a timer, a PubAck) therefore becomes its own `write()`. This queue collects the operations and runs them all,
 * in call order, from one `setImmediate`: they land in the outbound buffers back to back, and the client's flush
 * microtask writes each connection's buffer once.
 *
 * Order: operations run in the order they were queued (one FIFO per process, which keeps every connection's
 * order too). Operations that bypass the queue (a raw `nc.publish`, a raw `JsMsg.ack`) are not ordered
 * against queued ones.
 */
export class WriteQueue {
  readonly #schedule: Scheduler;
  readonly #onError: (err: unknown) => void;
  #ops: Array<() => void> = [];
  #scheduled = false;
  #settledWaiters: Array<() => void> = [];
  #drains = 0;

  constructor(options: WriteQueueOptions = {}) {
    this.#schedule = options.schedule ?? ((run) => void setImmediate(run));
    this.#onError =
      options.onError ??
      ((err) => {
        defaultLogger('WriteQueue').error(`queued NATS operation failed: ${errorMessage(err)}`);
      });
  }

  /** Operations waiting for the next drain. */
  get pending(): number {
    return this.#ops.length;
  }

  /** How many drains ran so far (for tests and metrics). */
  get drains(): number {
    return this.#drains;
  }

  /** Queues a fire-and-forget operation; a throw goes to `onError`. */
  enqueue(op: () => void): void {
    this.#ops.push(op);
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#schedule(this.#drain);
    }
  }

  /** Queues an operation with a result; the returned promise settles with it (a throw rejects it). */
  enqueueAsync<T>(op: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.enqueue(() => {
        try {
          op().then(resolve, reject);
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
  }

  /** Resolves once everything queued so far was handed to the client (at once when nothing is queued). */
  settled(): Promise<void> {
    if (!this.#scheduled) return Promise.resolve();
    return new Promise<void>((resolve) => this.#settledWaiters.push(resolve));
  }

  /** Runs the queued operations now instead of on the next turn. */
  flush(): void {
    if (this.#scheduled) this.#drain();
  }

  readonly #drain = (): void => {
    if (!this.#scheduled) return; // flushed early; this is the stale scheduled call
    this.#scheduled = false;
    this.#drains++;
    const ops = this.#ops;
    const waiters = this.#settledWaiters;
    this.#ops = [];
    this.#settledWaiters = [];
    for (const op of ops) {
      try {
        op();
      } catch (err) {
        try {
          this.#onError(err);
        } catch {
          // a reporter must not stop the remaining operations
        }
      }
    }
    for (const resolve of waiters) resolve();
  };
}

/**
 * A scheduler that drains at most once per `intervalMs`: right away (`setImmediate`) when the last drain is older
 * than that, else on a timer at the end of the interval. Idle or lightly loaded, nothing waits; saturated, the
 * operations of many turns share one socket write (each write wakes nats-server, which costs both processes CPU
 * on a small machine), for at most `intervalMs` of added latency.
 */
export function pacedScheduler(intervalMs: number, now: () => number = () => performance.now()): Scheduler {
  let lastRun = -Infinity;
  return (run) => {
    const wait = lastRun + intervalMs - now();
    const go = (): void => {
      lastRun = now();
      run();
    };
    if (wait <= 0) setImmediate(go);
    else setTimeout(go, wait);
  };
}

/**
 * The process-wide queue's pace. Measured with `BENCH_SCALE=0.2 BENCH_ONLY=closed` (10k events → 1 endpoint):
 * delivery-worker 6.9 → 6.3 CPU-s and nats-server 3.1 → 2.8 CPU-s at 1 ms; 2 ms gained little more.
 */
export const WRITE_PACE_MS = 1;

/** The process-wide queue used by `TrackedMsg` and `publishJson`. */
export const writeQueue = new WriteQueue({ schedule: pacedScheduler(WRITE_PACE_MS) });
