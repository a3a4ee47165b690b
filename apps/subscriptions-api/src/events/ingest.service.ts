import { Inject, Injectable, Logger } from '@nestjs/common';
import { MAX_EVENT_BYTES, newId, validateEvent, type EventEnvelope } from '@codeplanet/event-schemas';
import { ApiError } from '@codeplanet/service-kit';
import { ACCOUNTS_REPOSITORY, type AccountsRepository } from '../accounts/accounts.repository.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { InvalidField, ValidationFailed } from '../common/errors.js';
import type { RequestContext } from '../common/request-context.js';
import { FACT_PUBLISHER, type FactPublisher } from '../messaging/fact-publisher.js';
import {
  IDEMPOTENCY_TTL_MS,
  decideIdempotency,
  idempotencyKeyProblem,
  requestHashOf,
  type StoredRequest,
} from './idempotency.js';
import { IDEMPOTENCY_REPOSITORY, type IdempotencyRepository } from './idempotency.repository.js';

export interface IngestResult {
  id: string;
  /** True when this answer repeats an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

const PRUNE_EVERY_MS = 60_000;

/** `POST /v1/events`: fill, validate, publish to `events.<type>` with `Nats-Msg-Id` = event id. */
@Injectable()
export class IngestService {
  private readonly logger = new Logger('IngestService');
  private lastPrune = 0;

  constructor(
    @Inject(FACT_PUBLISHER) private readonly publisher: FactPublisher,
    @Inject(IDEMPOTENCY_REPOSITORY) private readonly idempotency: IdempotencyRepository,
    @Inject(ACCOUNTS_REPOSITORY) private readonly accounts: AccountsRepository,
    private readonly audit: AuditTrail,
  ) {}

  async ingest(
    context: RequestContext,
    body: unknown,
    idempotencyKey: string | undefined,
  ): Promise<IngestResult> {
    if (idempotencyKey === undefined) {
      const event = await this.accept(body);
      await this.publish(context, event);
      return { id: event.id, replayed: false };
    }
    const problem = idempotencyKeyProblem(idempotencyKey);
    if (problem) {
      throw new ApiError(400, 'invalid_idempotency_key', `Idempotency-Key ${problem}`, [
        { field: 'Idempotency-Key', message: problem },
      ]);
    }
    return this.ingestOnce(context, body, idempotencyKey);
  }

  /**
   * The key is claimed (with the filled event) before publishing, so concurrent requests with one key publish
   * one event; a request that died between claim and publish is finished by the next retry.
   */
  private async ingestOnce(context: RequestContext, body: unknown, key: string): Promise<IngestResult> {
    const scope = context.actor;
    const requestHash = requestHashOf(body);
    for (let round = 0; round < 2; round++) {
      const decision = decideIdempotency(await this.idempotency.find(scope, key), requestHash, new Date());
      switch (decision.kind) {
        case 'reused':
          throw new ApiError(
            422,
            'idempotency_key_reused',
            'this Idempotency-Key was used with a different request',
            [{ field: 'Idempotency-Key', message: 'was already used with a different request body' }],
          );
        case 'replay':
          return { id: decision.stored.event.id, replayed: true };
        case 'resume':
          await this.publisher.event(decision.stored.event);
          await this.idempotency.markDone(scope, key);
          return { id: decision.stored.event.id, replayed: true };
        case 'new': {
          const event = await this.accept(body);
          const now = new Date();
          const request: StoredRequest = { requestHash, event, state: 'pending', createdAt: now };
          if (
            !(await this.idempotency.claim(scope, key, request, new Date(now.getTime() - IDEMPOTENCY_TTL_MS)))
          ) {
            continue; // a concurrent request with this key claimed it first: answer as it does
          }
          await this.publish(context, event);
          await this.idempotency.markDone(scope, key);
          this.pruneNowAndThen(now);
          return { id: event.id, replayed: false };
        }
      }
    }
    throw new ApiError(
      409,
      'conflict',
      'a concurrent request with this Idempotency-Key is in progress; retry',
    );
  }

  /** Server-filled `id`, `created_at` (and `test: false`) when omitted, then the catalogue's validation. */
  private async accept(body: unknown): Promise<EventEnvelope> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ValidationFailed('the event is invalid', [
        { field: '(root)', message: 'must be a JSON object' },
      ]);
    }
    const input = body as Record<string, unknown>;
    const filled = {
      ...input,
      id: input.id ?? newId('evt'),
      created_at: input.created_at ?? new Date().toISOString(),
      test: input.test ?? false,
    };
    const result = validateEvent(filled);
    if (!result.ok) throw new ValidationFailed('the event is invalid', result.errors);
    const bytes = Buffer.byteLength(JSON.stringify(result.event));
    if (bytes > MAX_EVENT_BYTES) {
      throw new ApiError(
        413,
        'payload_too_large',
        `the event is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES}`,
      );
    }
    if (!(await this.accounts.exists(result.event.account_id))) {
      throw new InvalidField('unknown_account', 'account_id', 'does not name an existing account');
    }
    return result.event;
  }

  private async publish(context: RequestContext, event: EventEnvelope): Promise<void> {
    await this.publisher.event(event);
    await this.audit.record(context, {
      action: 'event.ingest',
      accountId: event.account_id,
      target: { kind: 'event', id: event.id },
      details: { event_type: event.type, test: event.test },
    });
  }

  private pruneNowAndThen(now: Date): void {
    if (now.getTime() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now.getTime();
    this.idempotency.deleteOlderThan(new Date(now.getTime() - IDEMPOTENCY_TTL_MS)).catch((err: unknown) => {
      this.logger.warn(
        `pruning idempotency keys failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
  }
}
