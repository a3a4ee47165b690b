import type { DeliveryInfo, JsMsg, PullOptions } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { writeQueue, type WriteQueue } from './write-queue.js';

/**
 * A JsMsg that remembers whether someone already gave the server its final answer (ack, nak, term), so a
 * consumer loop can ack/nak on the handler's behalf without answering twice. `working()` is not final.
 *
 * Answers (`ack`, `nak`, `term`, `working`, `next`, `ackAck`) are not sent at once: they go through the
 * `WriteQueue` with `publishJson`, in call order, and leave with everything else of this event-loop turn in one
 * socket write. `replied` is true as soon as the answer is queued.
 */
export class TrackedMsg implements JsMsg {
  #replied = false;

  constructor(
    readonly raw: JsMsg,
    private readonly queue: WriteQueue = writeQueue,
  ) {}

  /** True once ack/nak/term/ackAck/next was called. */
  get replied(): boolean {
    return this.#replied;
  }
  get redelivered(): boolean {
    return this.raw.redelivered;
  }
  get info(): DeliveryInfo {
    return this.raw.info;
  }
  get seq(): number {
    return this.raw.seq;
  }
  get headers(): MsgHdrs | undefined {
    return this.raw.headers;
  }
  get data(): Uint8Array {
    return this.raw.data;
  }
  get subject(): string {
    return this.raw.subject;
  }
  get sid(): number {
    return this.raw.sid;
  }
  get time(): Date {
    return this.raw.time;
  }
  get timestamp(): string {
    return this.raw.timestamp;
  }
  get timestampNanos(): bigint {
    return this.raw.timestampNanos;
  }
  ack(): void {
    this.#replied = true;
    this.queue.enqueue(() => this.raw.ack());
  }
  nak(millis?: number): void {
    this.#replied = true;
    this.queue.enqueue(() => this.raw.nak(millis));
  }
  working(): void {
    this.queue.enqueue(() => this.raw.working());
  }
  next(subj: string, ro?: Partial<PullOptions>): void {
    this.#replied = true;
    this.queue.enqueue(() => this.raw.next(subj, ro));
  }
  /**
   * Sends a plain `+TERM`. The reason is dropped on purpose: nats-server before 2.10.4 does not understand
   * `+TERM <reason>` and silently ignores it, so the message would come back after ack_wait.
   */
  term(_reason?: string): void {
    this.#replied = true;
    this.queue.enqueue(() => this.raw.term());
  }
  ackAck(opts?: Partial<{ timeout: number }>): Promise<boolean> {
    this.#replied = true;
    return this.queue.enqueueAsync(() => this.raw.ackAck(opts));
  }
  json<T>(): T {
    return this.raw.json<T>();
  }
  string(): string {
    return this.raw.string();
  }
}

export function isReplied(msg: JsMsg): boolean {
  return msg instanceof TrackedMsg && msg.replied;
}
