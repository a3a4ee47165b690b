import { Inject, Injectable } from '@nestjs/common';
import type { StreamKey, Topology } from '@codeplanet/event-schemas';
import {
  JETSTREAM,
  publishJson,
  type JetStreamContext,
  type PubAck,
  type PublishJsonOptions,
} from '@codeplanet/jetstream';

export interface StoredMessage {
  seq: number;
  subject: string;
  time: Date;
  data: Uint8Array;
  json<T>(): T;
}

/** The stream this app creates itself: max-deliveries advisories of the RETRIES consumer, kept until reconciled. */
export function advisoryStreamName(topology: Topology): string {
  return topology.prefix ? `${topology.prefix}_SCHEDULER_ADVISORIES` : 'SCHEDULER_ADVISORIES';
}

export function maxDeliveriesSubject(topology: Topology): string {
  return `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${topology.stream('retries')}.*`;
}

/** The slice of JetStream the jobs use: publish with msgID/expectations, and read single messages back. */
@Injectable()
export class Bus {
  constructor(@Inject(JETSTREAM) readonly jetstream: JetStreamContext) {}

  get topology(): Topology {
    return this.jetstream.topology;
  }

  stream(key: StreamKey): string {
    return this.jetstream.topology.stream(key);
  }

  publish(subject: string, payload: unknown, options: PublishJsonOptions = {}): Promise<PubAck> {
    return publishJson(this.jetstream.js, subject, payload, options);
  }

  /** One message by sequence, or null when it is gone (aged out, deleted, acked off a work queue). */
  async bySeq(stream: string, seq: number): Promise<StoredMessage | null> {
    return this.jetstream.jsm.streams.getMessage(stream, { seq }).catch((error: unknown) => {
      if (isNoMessage(error)) return null;
      throw error;
    });
  }

  /** The last message on a subject (wildcards allowed), or null. */
  async lastOn(stream: string, subject: string): Promise<StoredMessage | null> {
    return this.jetstream.jsm.streams
      .getMessage(stream, { last_by_subj: subject })
      .catch((error: unknown) => {
        if (isNoMessage(error)) return null;
        throw error;
      });
  }

  async lastSeq(stream: string): Promise<number> {
    const info = await this.jetstream.jsm.streams.info(stream);
    return info.state.last_seq;
  }

  async deleteMessage(stream: string, seq: number): Promise<void> {
    await this.jetstream.jsm.streams.deleteMessage(stream, seq, false).catch((error: unknown) => {
      if (!isNoMessage(error)) throw error;
    });
  }
}

function isNoMessage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 10037 || (error instanceof Error && /no message found/i.test(error.message));
}
