import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ENDPOINT_FACT_TYPES, type EndpointFact } from '@codeplanet/event-schemas';
import {
  DeliverPolicy,
  JETSTREAM,
  PULL_EXPIRES_MS,
  type JetStreamContext,
  type JsMsg,
} from '@codeplanet/jetstream';
import type { ConsumerMessages } from '@nats-io/jetstream';
import { appMetrics } from '../common/app-metrics.js';
import { ENDPOINT_PROJECTION, type EndpointProjection } from './endpoints.repository.js';

const RETRY_DELAYS_MS = [100, 250, 500, 1_000, 2_000, 5_000];

/**
 * Projects ENDPOINTS into Postgres: facts this app wrote (already applied by the request, so a no-op here) and
 * facts others wrote (scheduler auto-disable, worker disable on 410). An ordered consumer from the last fact per
 * subject: every boot re-applies the current state of every endpoint, which also rebuilds a dropped table.
 * Applying is idempotent by stream sequence, so every replica can run one.
 */
@Injectable()
export class EndpointProjector implements OnApplicationBootstrap {
  private readonly logger = new Logger('EndpointProjector');
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(
    @Inject(JETSTREAM) private readonly jetstream: JetStreamContext,
    @Inject(ENDPOINT_PROJECTION) private readonly projection: EndpointProjection,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { js, topology } = this.jetstream;
    const consumer = await js.consumers.get(topology.stream('endpoints'), {
      filter_subjects: topology.streamSubject('endpoints'),
      deliver_policy: DeliverPolicy.LastPerSubject,
    });
    this.messages = await consumer.consume({ max_messages: 256, expires: PULL_EXPIRES_MS });
    this.loop = this.run(this.messages);
    this.jetstream.beforeDrain(() => this.stop());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close();
    await this.loop;
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const msg of messages) {
        if (this.stopping) break;
        await this.handle(msg);
      }
    } catch (err) {
      if (!this.stopping) this.logger.error(`ENDPOINTS consumer ended: ${describe(err)}`);
    }
  }

  private async handle(msg: JsMsg): Promise<void> {
    const fact = parseFact(msg);
    if (!fact) {
      this.logger.warn(`skipping malformed endpoint fact at ${msg.subject} seq ${msg.seq}`);
      return;
    }
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        if (await this.projection.apply(fact.endpoint, msg.seq, fact.type === 'endpoint.deleted')) {
          appMetrics.factsProjected.inc();
        }
        return;
      } catch (err) {
        const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)] ?? 5_000;
        this.logger.warn(
          `projecting ${msg.subject} seq ${msg.seq} failed (${describe(err)}); retry in ${delay} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}

/** Validates the edge: the fields the projection needs, with their types. */
export function parseFact(msg: Pick<JsMsg, 'json'>): EndpointFact | null {
  let value: unknown;
  try {
    value = msg.json();
  } catch {
    return null;
  }
  const fact = value as Partial<EndpointFact> | null;
  const endpoint = fact?.endpoint;
  const known = (ENDPOINT_FACT_TYPES as readonly string[]).includes(String(fact?.type));
  const valid =
    known &&
    typeof endpoint === 'object' &&
    endpoint !== null &&
    typeof endpoint.id === 'string' &&
    typeof endpoint.account_id === 'string' &&
    typeof endpoint.url === 'string' &&
    Array.isArray(endpoint.events) &&
    Array.isArray(endpoint.secrets) &&
    typeof endpoint.enabled === 'boolean' &&
    typeof endpoint.version === 'number' &&
    typeof endpoint.created_at === 'string' &&
    typeof endpoint.updated_at === 'string';
  return valid ? (fact as EndpointFact) : null;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
