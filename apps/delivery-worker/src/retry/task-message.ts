import type { DeliveryTask } from '@codeplanet/event-schemas';

/** The part of a JetStream message the delivery handlers use (JsMsg fits; unit tests pass fakes). */
export interface TaskMessage {
  /** `[<prefix>.]deliveries.<endpoint>` or `[<prefix>.]retries.<endpoint>`. */
  readonly subject: string;
  readonly data: Uint8Array;
  readonly info: { readonly deliveryCount: number };
  readonly headers?: { get(name: string): string } | undefined;
  ack(): void;
  nak(millis?: number): void;
  term(reason?: string): void;
  working(): void;
}

/** The endpoint id is the subject's last token (ids contain no dots). */
export function endpointOfSubject(subject: string): string {
  return subject.slice(subject.lastIndexOf('.') + 1);
}

/** Parses a DELIVERIES/RETRIES payload; null when it is not a task (it could never be delivered). */
export function decodeTask(data: Uint8Array): DeliveryTask | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const task = parsed as Partial<DeliveryTask>;
  const event = task.event as Partial<DeliveryTask['event']> | undefined;
  const ok =
    typeof task.delivery_id === 'string' &&
    typeof task.endpoint_id === 'string' &&
    typeof task.account_id === 'string' &&
    typeof event === 'object' &&
    event !== null &&
    typeof event.id === 'string' &&
    typeof event.type === 'string';
  if (!ok) return null;
  return {
    ...(task as DeliveryTask),
    first_attempt: typeof task.first_attempt === 'number' ? task.first_attempt : 1,
  };
}

export interface Heartbeat {
  stop(): void;
}

/**
 * Keeps telling the server the message is being worked on, so its ack wait (on RETRIES: the current backoff step,
 * which can be far shorter than an HTTP timeout in a compressed ladder) cannot expire mid-attempt.
 */
export function startHeartbeat(msg: TaskMessage, intervalMs: number): Heartbeat {
  const timer = setInterval(() => msg.working(), Math.max(10, intervalMs));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
