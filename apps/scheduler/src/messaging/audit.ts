import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { AuditFact } from '@codeplanet/event-schemas';
import { Bus } from './bus.js';

export interface AuditEntry {
  /** `scheduler.recover.requested`, `scheduler.auto_disable`, ... */
  action: string;
  /** Null files it under `_admin`. */
  accountId: string | null;
  target: { kind: string; id: string };
  details?: Record<string, unknown>;
  /** Default `scheduler`; the requester's actor for requests. */
  actor?: string;
  requestId?: string | null;
  /**
   * Names the fact for dedupe: the same key gives the same fact id and msgID, so a job run twice (or by two
   * leaders one after the other) records it once. Without a key every call is a new fact.
   */
  dedupeKey?: string;
}

/** AuditFacts to `audit.<account>`, so audit-log shows what the scheduler did and for whom. */
@Injectable()
export class AuditTrail {
  private readonly logger = new Logger('AuditTrail');

  constructor(private readonly bus: Bus) {}

  /**
   * Publishes and waits for the stream; throws when the stream is unavailable (callers decide). Returns the fact
   * id.
   */
  async record(entry: AuditEntry, now = new Date()): Promise<string> {
    const id = entry.dedupeKey ? auditFactId(entry.dedupeKey) : `aud_${randomUUID()}`;
    const fact: AuditFact = {
      id,
      actor: entry.actor ?? 'scheduler',
      action: entry.action,
      account_id: entry.accountId,
      target: entry.target,
      request_id: entry.requestId ?? null,
      occurred_at: now.toISOString(),
      ...(entry.details ? { details: entry.details } : {}),
    };
    await this.bus.publish(this.bus.topology.audit(entry.accountId ?? '_admin'), fact, { msgId: id });
    return id;
  }

  /** For facts that must not fail the work they describe: logged, not thrown. */
  async tryRecord(entry: AuditEntry): Promise<void> {
    try {
      await this.record(entry);
    } catch (error) {
      this.logger.error(
        `audit fact ${entry.action} on ${entry.target.kind} ${entry.target.id} was not recorded: ${String(error)}`,
      );
    }
  }
}

/** The id (and msgID) of the fact recorded with this dedupe key. */
export function auditFactId(dedupeKey: string): string {
  return `aud_${createHash('sha256').update(dedupeKey).digest('base64url').slice(0, 26)}`;
}
