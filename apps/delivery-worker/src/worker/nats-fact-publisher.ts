import { publishJson, type JetStreamClient } from '@codeplanet/jetstream';
import type { FactPublisher, PublishRequest } from '../outcomes/fact-publisher.js';

/** FactPublisher over JetStream: resolves on the stream's PubAck. */
export class NatsFactPublisher implements FactPublisher {
  constructor(private readonly js: JetStreamClient) {}

  async publish(request: PublishRequest): Promise<{ seq: number; duplicate: boolean }> {
    const ack = await publishJson(this.js, request.subject, request.payload, {
      msgId: request.msgId,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.expectLastSubjectSequence !== undefined
        ? { expectLastSubjectSequence: request.expectLastSubjectSequence }
        : {}),
    });
    return { seq: ack.seq, duplicate: ack.duplicate };
  }
}
