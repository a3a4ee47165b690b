import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  TARGET_ENDPOINT_HEADER,
  type AccountFact,
  type AuditFact,
  type EndpointFact,
  type EventEnvelope,
} from '@codeplanet/event-schemas';
import { JETSTREAM, isWrongLastSequence, publishJson, type JetStreamContext } from '@codeplanet/jetstream';
import { ConcurrentChange, StreamUnavailable } from '../common/errors.js';
import type { FactPublisher } from './fact-publisher.js';

@Injectable()
export class NatsFactPublisher implements FactPublisher {
  private readonly logger = new Logger('FactPublisher');

  constructor(@Inject(JETSTREAM) private readonly jetstream: JetStreamContext) {}

  async endpointFact(fact: EndpointFact, expectedLastSequence: number): Promise<number> {
    const { endpoint } = fact;
    const subject = this.jetstream.topology.endpoint(endpoint.account_id, endpoint.id);
    try {
      // No Nats-Msg-Id here: two racing writers would share one and the loser would read "duplicate" as success.
      const ack = await publishJson(this.jetstream.js, subject, fact, {
        expectLastSubjectSequence: expectedLastSequence,
      });
      return ack.seq;
    } catch (err) {
      if (isWrongLastSequence(err)) throw new ConcurrentChange();
      throw this.unavailable(subject, err);
    }
  }

  async accountFact(accountId: string, fact: AccountFact, msgId: string): Promise<void> {
    const subject = this.jetstream.topology.account(accountId);
    await publishJson(this.jetstream.js, subject, fact, { msgId }).catch((err: unknown) => {
      throw this.unavailable(subject, err);
    });
  }

  async audit(fact: AuditFact): Promise<void> {
    const subject = this.jetstream.topology.audit(fact.account_id ?? '_admin');
    await publishJson(this.jetstream.js, subject, fact, { msgId: fact.id }).catch((err: unknown) => {
      throw this.unavailable(subject, err);
    });
  }

  async event(
    event: EventEnvelope,
    options: { targetEndpointId?: string } = {},
  ): Promise<{ duplicate: boolean }> {
    const subject = this.jetstream.topology.event(event.type);
    const headers = options.targetEndpointId
      ? { [TARGET_ENDPOINT_HEADER]: options.targetEndpointId }
      : undefined;
    try {
      const ack = await publishJson(this.jetstream.js, subject, event, {
        msgId: event.id,
        ...(headers ? { headers } : {}),
      });
      return { duplicate: ack.duplicate };
    } catch (err) {
      throw this.unavailable(subject, err);
    }
  }

  /** Logged with the subject only: payloads can hold encrypted secrets and customer data. */
  private unavailable(subject: string, err: unknown): StreamUnavailable {
    this.logger.error(`publish to ${subject} failed: ${err instanceof Error ? err.message : String(err)}`);
    return new StreamUnavailable();
  }
}
