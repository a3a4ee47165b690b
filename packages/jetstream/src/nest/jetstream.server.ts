import { Logger } from '@nestjs/common';
import {
  BaseRpcContext,
  EventPattern,
  Server,
  type CustomTransportStrategy,
  type ReadPacket,
} from '@nestjs/microservices';
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { isObservable, lastValueFrom } from 'rxjs';
import { ensureConsumer, type DurableConsumerConfig } from '../consumers.js';
import { errorMessage } from '../errors.js';
import { runPullConsumer, type PullConsumerHandle } from '../pull-consumer.js';

/** The context argument of a JetStream `@EventPattern` handler (`@Ctx() ctx: JetStreamMsgContext`). */
export class JetStreamMsgContext extends BaseRpcContext<[JsMsg, string]> {
  /**
   * The raw message. Answering it here (`ack`, `nak(ms)`, `term`) takes over from the transport, which then
   * neither acks on resolve nor naks on throw. `working()` extends the ack wait for long work.
   */
  getMessage(): JsMsg {
    return this.args[0];
  }
  /** The `@EventPattern` this message was routed to (the durable consumer name, or the binding's pattern). */
  getPattern(): string {
    return this.args[1];
  }
  getSubject(): string {
    return this.args[0].subject;
  }
  /** 1 on the first delivery. */
  getDeliveryCount(): number {
    return this.args[0].info.deliveryCount;
  }
  getHeader(name: string): string | undefined {
    return this.args[0].headers?.get(name) || undefined;
  }
}

export interface JetStreamConsumerBinding {
  stream: string;
  durable: string;
  /** Most messages in the handler at once for this consumer. */
  maxInHand: number;
  /** The `@EventPattern` to route to. Default: the durable name. */
  pattern?: string;
  /** Delay for the nak after a handler throws. Default: the server's `nakDelayMs`. */
  nakDelayMs?: number;
  /** When set (and `jsm` given), the consumer is created/updated with `ensureConsumer` before pulling. */
  config?: Omit<DurableConsumerConfig, 'durable_name'>;
}

/** What the transport needs of the shared connection; `JetStreamContext` (the `JETSTREAM` value) fits. */
export interface JetStreamSource {
  js: JetStreamClient;
  /** Needed only for bindings with a `config`. */
  jsm?: JetStreamManager;
  beforeDrain?(stop: () => Promise<void>): void;
}

export interface JetStreamServerOptions {
  /**
   * The shared connection, or a function returning it, resolved in `listen()`:
   * `jetstream: () => app.get(JETSTREAM)` when the app is created with this server as its strategy.
   */
  jetstream: JetStreamSource | (() => JetStreamSource);
  consumers: JetStreamConsumerBinding[];
  /** Default 1000 ms. */
  nakDelayMs?: number;
}

export const JETSTREAM_TRANSPORT = Symbol.for('codeplanet.jetstream.transport');

/**
 * `@JetStreamEventPattern('<durable>')`: an `@EventPattern` bound to this transport. Nest 12's typed
 * `@EventPattern('literal')` overload types extra handler params as `unknown`, which rejects
 * `@Ctx() ctx: JetStreamMsgContext`; this helper (or `@EventPattern<string>('<durable>')`) avoids that.
 */
export function JetStreamEventPattern(consumer: string): MethodDecorator {
  return EventPattern<string>(consumer, JETSTREAM_TRANSPORT);
}

type ErrorListener = (err: unknown, msg?: JsMsg) => void;
type JetStreamServerEvents = { error: ErrorListener };

/**
 * Nest custom transport over durable pull consumers. A handler's resolve acks, a throw naks with a delay
 * (never term: a failing delivery must be retried, not dropped). Payloads that are not JSON are termed.
 */
export class JetStreamServer
  extends Server<JetStreamServerEvents, 'listening' | 'closed'>
  implements CustomTransportStrategy
{
  // handleEvent below awaits the handler, so failures come back to us (and we nak) instead of being only logged.
  override readonly propagatesEventHandlerErrors = true;
  override transportId: symbol = JETSTREAM_TRANSPORT;
  protected override readonly logger = new Logger('JetStreamServer');
  private readonly runners: PullConsumerHandle[] = [];
  private readonly errorListeners: ErrorListener[] = [];
  private closing: Promise<void> | undefined;
  private source: JetStreamSource | undefined;

  constructor(private readonly options: JetStreamServerOptions) {
    super();
  }

  async listen(callback: (err?: unknown, ...optionalParams: unknown[]) => void): Promise<void> {
    try {
      await this.start();
      this._status$.next('listening');
      callback();
    } catch (err) {
      callback(err);
    }
  }

  private async start(): Promise<void> {
    const { consumers } = this.options;
    const jetstream =
      typeof this.options.jetstream === 'function' ? this.options.jetstream() : this.options.jetstream;
    this.source = jetstream;
    for (const binding of consumers) {
      const pattern = binding.pattern ?? binding.durable;
      if (!this.getHandlerByPattern(pattern)) {
        throw new Error(
          `no @EventPattern('${pattern}') handler for consumer ${binding.stream}/${binding.durable}`,
        );
      }
    }
    for (const binding of consumers) {
      if (binding.config) {
        if (!jetstream.jsm) throw new Error(`consumer ${binding.durable} has a config but no jsm was given`);
        await ensureConsumer(jetstream.jsm, binding.stream, {
          ...binding.config,
          durable_name: binding.durable,
        });
      }
    }
    for (const binding of consumers) this.runners.push(this.bind(jetstream.js, binding));
    jetstream.beforeDrain?.(() => this.close());
  }

  private bind(js: JetStreamClient, binding: JetStreamConsumerBinding): PullConsumerHandle {
    const pattern = binding.pattern ?? binding.durable;
    return runPullConsumer({
      js,
      stream: binding.stream,
      consumer: binding.durable,
      maxInHand: binding.maxInHand,
      nakDelayMs: binding.nakDelayMs ?? this.options.nakDelayMs ?? 1_000,
      autoAck: true,
      logger: this.logger,
      handle: (msg) => this.dispatch(pattern, msg),
      onError: (err, msg) => this.reportError(pattern, err, msg),
    });
  }

  private async dispatch(pattern: string, msg: JsMsg): Promise<void> {
    let data: unknown;
    try {
      data = msg.json<unknown>();
    } catch (err) {
      // Redelivering bytes that are not JSON can never succeed.
      this.logger.error(
        `terminating ${msg.subject} seq ${msg.seq}: payload is not JSON (${errorMessage(err)})`,
      );
      msg.term('payload is not JSON');
      return;
    }
    await this.handleEvent(pattern, { pattern, data }, new JetStreamMsgContext([msg, pattern]));
  }

  override async handleEvent(pattern: string, packet: ReadPacket, context: BaseRpcContext): Promise<void> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) throw new Error(`no handler for pattern ${pattern}`);
    // Like the Kafka transport: await the handler (and its stream) so resolve/throw decide ack/nak.
    await new Promise<void>((resolve, reject) => {
      const runEndHook = this.createProcessingEndHookRunner(context);
      this.onProcessingStartHook(this.transportId ?? JETSTREAM_TRANSPORT, context, async () => {
        try {
          const result: unknown = await handler(packet.data, context);
          if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
          resolve();
        } catch (err) {
          reject(err instanceof Error ? err : new Error(errorMessage(err)));
        } finally {
          runEndHook();
        }
      });
    });
  }

  private reportError(pattern: string, err: unknown, msg?: JsMsg): void {
    const where = msg ? ` ${msg.subject} seq ${msg.seq} delivery ${msg.info.deliveryCount}` : '';
    this.logger.error(`[${pattern}]${where}: ${errorMessage(err)}`);
    for (const listener of this.errorListeners) listener(err, msg);
  }

  /** Stops pulling on every consumer and waits for in-flight handlers. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all(this.runners.map((r) => r.stop()));
      this._status$.next('closed');
    })();
    return this.closing;
  }

  on<EventKey extends keyof JetStreamServerEvents = keyof JetStreamServerEvents>(
    event: EventKey,
    callback: JetStreamServerEvents[EventKey],
  ): void {
    if (event === 'error') this.errorListeners.push(callback);
  }

  /** The JetStream client the consumers pull through (after `listen()`). */
  unwrap<T>(): T {
    if (!this.source) throw new Error('JetStreamServer is not listening yet');
    return this.source.js as T;
  }
}
