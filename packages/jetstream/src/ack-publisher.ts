import { JetStreamApiError, type PubAck } from '@nats-io/jetstream';
import {
  createInbox,
  errors,
  headers as createHeaders,
  type Msg,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';

export interface AckPublishOptions {
  msgId?: string;
  expectLastSubjectSequence?: number;
  headers?: Record<string, string>;
  /** How long to wait for the PubAck. */
  timeoutMs?: number;
  /** Attempts while nothing answers the subject (no stream yet, a server restarting). Default 1. */
  retries?: number;
}

interface Waiting {
  resolve: (ack: PubAck) => void;
  reject: (err: Error) => void;
  deadline: number;
}

/** Replies that say nobody listens on the subject: a `503` status without a body. */
class NoResponders extends Error {}

const SWEEP_MS = 100;
const NO_RESPONDERS_BACKOFF_MS = [50, 250, 1_000, 2_000];
const decoder = new TextDecoder();

/**
 * JetStream publishes over plain core NATS: one wildcard inbox subscription per connection, a reply subject per
 * publish, each PubAck matched by its token, deadlines checked by one timer.
 *
 * `js.publish` of nats.js 3.4 runs every publish through its request machinery, which arms a timer per request
 * and, after every successful one, rejects the settled promise with a fresh `RequestError("cancelled")` (a stack
 * capture per publish, ~9 % of the delivery-worker's CPU in a profile). The wire protocol is the same: a message
 * with a reply subject, answered by the stream's leader with a PubAck or an API error.
 */
export class AckPublisher {
  readonly #nc: NatsConnection;
  readonly #defaultTimeoutMs: number;
  readonly #inbox: string;
  readonly #waiting = new Map<string, Waiting>();
  #subscription: Subscription | undefined;
  #sweeper: NodeJS.Timeout | undefined;
  #nextToken = 0;

  constructor(nc: NatsConnection, defaultTimeoutMs = 5_000) {
    this.#nc = nc;
    this.#defaultTimeoutMs = defaultTimeoutMs;
    this.#inbox = createInbox();
  }

  async publish(subject: string, data: Uint8Array, options: AckPublishOptions = {}): Promise<PubAck> {
    const attempts = Math.max(1, options.retries ?? 1);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#publishOnce(subject, data, options);
      } catch (err) {
        if (!(err instanceof NoResponders)) throw err;
        if (attempt >= attempts) {
          throw new Error(`no JetStream stream answered on ${subject} (no responders)`, { cause: err });
        }
        const backoff = NO_RESPONDERS_BACKOFF_MS[Math.min(attempt - 1, NO_RESPONDERS_BACKOFF_MS.length - 1)];
        await new Promise((resolve) => setTimeout(resolve, backoff));
      }
    }
  }

  /** Stops listening; publishes still waiting are rejected. */
  close(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#rejectAll(new errors.ClosedConnectionError());
  }

  #publishOnce(subject: string, data: Uint8Array, options: AckPublishOptions): Promise<PubAck> {
    this.#listen();
    const token = (this.#nextToken++).toString(36);
    const reply = `${this.#inbox}.${token}`;
    const deadline = Date.now() + (options.timeoutMs ?? this.#defaultTimeoutMs);
    const answer = new Promise<PubAck>((resolve, reject) => {
      this.#waiting.set(token, { resolve, reject, deadline });
    });
    try {
      this.#nc.publish(subject, data, { reply, ...withHeaders(options) });
    } catch (err) {
      this.#waiting.delete(token);
      throw err;
    }
    this.#sweeper ??= setInterval(() => this.#sweep(), SWEEP_MS).unref();
    return answer;
  }

  #listen(): void {
    if (this.#subscription) return;
    const subscription = this.#nc.subscribe(`${this.#inbox}.*`, {
      callback: (err, msg) => {
        if (!err) this.#settle(msg);
      },
    });
    this.#subscription = subscription;
    void subscription.closed.then(() => {
      if (this.#subscription === subscription) this.#subscription = undefined;
      this.#rejectAll(new errors.ClosedConnectionError());
    });
  }

  #settle(msg: Msg): void {
    const token = msg.subject.slice(this.#inbox.length + 1);
    const waiting = this.#waiting.get(token);
    if (!waiting) return; // answered after its deadline
    this.#waiting.delete(token);
    try {
      waiting.resolve(parsePubAck(msg));
    } catch (err) {
      waiting.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  #sweep(): void {
    const now = Date.now();
    for (const [token, waiting] of this.#waiting) {
      if (waiting.deadline > now) continue;
      this.#waiting.delete(token);
      waiting.reject(new errors.TimeoutError());
    }
    if (this.#waiting.size === 0) {
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
    }
  }

  #rejectAll(err: Error): void {
    for (const waiting of this.#waiting.values()) waiting.reject(err);
    this.#waiting.clear();
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }
}

function withHeaders(options: AckPublishOptions): { headers?: ReturnType<typeof createHeaders> } {
  const extra = options.headers ? Object.entries(options.headers) : [];
  if (options.msgId === undefined && options.expectLastSubjectSequence === undefined && extra.length === 0) {
    return {};
  }
  const h = createHeaders();
  for (const [key, value] of extra) h.set(key, value);
  if (options.msgId !== undefined) h.set('Nats-Msg-Id', options.msgId);
  if (options.expectLastSubjectSequence !== undefined) {
    h.set('Nats-Expected-Last-Subject-Sequence', String(options.expectLastSubjectSequence));
  }
  return { headers: h };
}

interface PubAckBody {
  stream?: string;
  seq?: number;
  duplicate?: boolean;
  domain?: string;
  error?: { code: number; err_code?: number; description: string };
}

/** A PubAck, or the API error the stream answered with (as nats.js's `JetStreamApiError`). */
export function parsePubAck(msg: Pick<Msg, 'data' | 'headers'>): PubAck {
  if (msg.data.length === 0 && msg.headers?.code === 503) throw new NoResponders('no responders');
  let body: PubAckBody;
  try {
    body = JSON.parse(decoder.decode(msg.data)) as PubAckBody;
  } catch {
    throw new Error(`invalid PubAck: ${decoder.decode(msg.data).slice(0, 200)}`);
  }
  if (body.error) {
    throw new JetStreamApiError({
      code: body.error.code,
      err_code: body.error.err_code ?? 0,
      description: body.error.description,
    });
  }
  if (typeof body.stream !== 'string' || body.stream === '' || typeof body.seq !== 'number') {
    throw new Error('invalid PubAck: no stream or sequence');
  }
  return {
    stream: body.stream,
    seq: body.seq,
    duplicate: body.duplicate ?? false,
    domain: body.domain ?? '',
  };
}
