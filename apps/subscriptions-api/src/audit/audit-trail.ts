import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AuditFact } from '@codeplanet/event-schemas';
import type { RequestContext } from '../common/request-context.js';
import { FACT_PUBLISHER, type FactPublisher } from '../messaging/fact-publisher.js';

export type AuditAction =
  | 'account.create'
  | 'api_key.create'
  | 'api_key.revoke'
  | 'endpoint.create'
  | 'endpoint.update'
  | 'endpoint.enable'
  | 'endpoint.disable'
  | 'endpoint.delete'
  | 'endpoint.secret_reveal'
  | 'endpoint.secret_rotate'
  | 'endpoint.test'
  | 'event.ingest';

export interface AuditEntry {
  action: AuditAction;
  /** The account the change belongs to; null files it under `_admin`. */
  accountId: string | null;
  target: { kind: string; id: string };
  /** Non-secret facts about the change (changed field names, event type); never secrets or keys. */
  details?: Record<string, unknown>;
}

/**
 * Emits an AuditFact to `audit.<account>` for every mutation. Called after the change is recorded: a failure here
 * is logged, not returned, because the change itself already happened and a retry would repeat it.
 */
@Injectable()
export class AuditTrail {
  private readonly logger = new Logger('AuditTrail');

  constructor(@Inject(FACT_PUBLISHER) private readonly publisher: FactPublisher) {}

  async record(context: RequestContext, entry: AuditEntry): Promise<void> {
    const fact: AuditFact = {
      id: `aud_${randomUUID()}`,
      actor: context.actor,
      action: entry.action,
      account_id: entry.accountId,
      target: entry.target,
      request_id: context.requestId || null,
      occurred_at: new Date().toISOString(),
      ...(entry.details ? { details: entry.details } : {}),
    };
    try {
      await this.publisher.audit(fact);
    } catch {
      this.logger.error(
        `audit fact ${entry.action} on ${entry.target.kind} ${entry.target.id} was not recorded`,
      );
    }
  }
}
