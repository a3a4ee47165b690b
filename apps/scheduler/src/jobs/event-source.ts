import { Injectable } from '@nestjs/common';
import {
  splitOutcome,
  validateEvent,
  type EventEnvelope,
  type OutcomeBatch,
  type OutcomeFact,
} from '@codeplanet/event-schemas';
import { DeliverPolicy, PULL_EXPIRES_MS, type JsMsg } from '@codeplanet/jetstream';
import { Bus } from '../messaging/bus.js';

export interface EventRef {
  eventId: string;
  eventType: string;
  sourceStream: string | null;
  sourceSeq: number | null;
  /** When the delivery was created: where to look in EVENTS when the reference is gone. */
  around?: Date;
}

export interface ScanRange {
  subject: string;
  since: Date;
  until: Date;
  signal?: AbortSignal;
}

const IDLE_MS = 5_000;
const FALLBACK_WINDOW_MS = 10 * 60_000;

/**
 * Event bodies for tasks the scheduler queues. A delivery remembers where its body is (the fan-out's
 * `event.accepted` on OUTCOMES, or the EVENTS message a replay read), so a body is one get-by-sequence; otherwise
 * EVENTS is scanned around the delivery's time. Ranges are read with an ordered consumer from a start time.
 */
@Injectable()
export class EventSource {
  constructor(private readonly bus: Bus) {}

  subjectOf(type: string): string {
    return this.bus.topology.event(type);
  }

  async load(ref: EventRef): Promise<EventEnvelope | null> {
    if (ref.sourceStream && ref.sourceSeq !== null) {
      const found = await this.byReference(ref.sourceStream, ref.sourceSeq, ref.eventId);
      if (found) return found;
    }
    if (!ref.around) return null;
    let match: EventEnvelope | null = null;
    await this.scan(
      {
        subject: this.bus.topology.event(ref.eventType),
        since: new Date(ref.around.getTime() - FALLBACK_WINDOW_MS),
        until: new Date(ref.around.getTime() + FALLBACK_WINDOW_MS),
      },
      (event) => {
        if (event.id !== ref.eventId) return true;
        match = event;
        return false;
      },
    );
    return match;
  }

  private async byReference(source: string, seq: number, eventId: string): Promise<EventEnvelope | null> {
    if (source === 'outcomes') {
      const msg = await this.bus.bySeq(this.bus.stream('outcomes'), seq);
      const facts = msg ? splitOutcome(msg.json<OutcomeFact | OutcomeBatch>()) : [];
      for (const fact of facts) {
        if (fact.type === 'event.accepted' && fact.event.id === eventId) return fact.event;
      }
      return null;
    }
    if (source === 'events') {
      const msg = await this.bus.bySeq(this.bus.stream('events'), seq);
      const event = msg ? toEvent(msg.json<unknown>()) : null;
      return event?.id === eventId ? event : null;
    }
    return null;
  }

  /**
   * Visits every valid event on `subject` stored in [since, until], in order, until `visit` returns false.
   * Ends at the subject's last message as of the call, so a busy stream cannot keep a scan running.
   */
  async scan(
    range: ScanRange,
    visit: (event: EventEnvelope, seq: number) => boolean | Promise<boolean>,
  ): Promise<void> {
    const stream = this.bus.stream('events');
    const last = await this.bus.lastOn(stream, range.subject);
    if (!last || last.time < range.since) return;
    const consumer = await this.bus.jetstream.js.consumers.get(stream, {
      filter_subjects: range.subject,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: range.since.toISOString(),
      inactive_threshold: 30_000,
    });
    const messages = await consumer.consume({ max_messages: 256, expires: PULL_EXPIRES_MS });
    let idle: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => void messages.close(), IDLE_MS);
    };
    arm();
    try {
      for await (const msg of messages) {
        arm();
        if (msg.time > range.until || range.signal?.aborted) break;
        const event = parse(msg);
        if (event && !(await visit(event, msg.seq))) break;
        if (msg.seq >= last.seq) break;
      }
    } finally {
      clearTimeout(idle);
      await messages.close().catch(() => undefined);
    }
  }
}

function parse(msg: JsMsg): EventEnvelope | null {
  try {
    return toEvent(msg.json<unknown>());
  } catch {
    return null;
  }
}

/** Only events the fan-out would have accepted are ever re-sent. */
function toEvent(value: unknown): EventEnvelope | null {
  const result = validateEvent(value);
  return result.ok ? result.event : null;
}
