import { Logger } from '@nestjs/common';
import type { AccountFact, EndpointFact } from '@codeplanet/event-schemas';
import type { JsMsg } from '@codeplanet/jetstream';
import type { EntityManager } from 'typeorm';
import { parseJson, type Projection } from './stream-follower.js';

/**
 * ENDPOINTS → `endpoints`: the last fact per endpoint with its subject sequence. `streak_reset_at` moves on
 * `endpoint.created`, `endpoint.enabled` and any other fact that turns a disabled endpoint back on (an update that
 * changes more than `enabled`), from anyone: failures before it do not count towards auto-disable.
 */
export class EndpointsProjection implements Projection {
  readonly name = 'endpoints';
  private readonly logger = new Logger('Projection endpoints');

  constructor(readonly stream: string) {}

  async apply(manager: EntityManager, batch: JsMsg[]): Promise<void> {
    for (const msg of batch) {
      const fact = parseJson<EndpointFact>(msg);
      if (!fact?.endpoint?.id || !fact.endpoint.account_id) {
        this.logger.warn(`skipping malformed endpoint fact at seq ${msg.seq}`);
        continue;
      }
      const { endpoint } = fact;
      const at = fact.occurred_at ?? msg.time.toISOString();
      const resets = fact.type === 'endpoint.created' || fact.type === 'endpoint.enabled';
      await manager.query(
        `INSERT INTO scheduler.endpoints (id, account_id, enabled, deleted_at, disabled_reason, state, stream_seq,
           streak_reset_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, deleted_at = excluded.deleted_at,
           disabled_reason = excluded.disabled_reason, state = excluded.state, stream_seq = excluded.stream_seq,
           updated_at = excluded.updated_at,
           streak_reset_at = CASE WHEN $9 OR (excluded.enabled AND NOT endpoints.enabled)
             THEN excluded.streak_reset_at ELSE endpoints.streak_reset_at END`,
        [
          endpoint.id,
          endpoint.account_id,
          endpoint.enabled && fact.type !== 'endpoint.deleted',
          fact.type === 'endpoint.deleted' ? at : null,
          endpoint.disabled_reason ?? null,
          JSON.stringify(endpoint),
          msg.seq,
          at,
          resets,
        ],
      );
    }
  }
}

/** ACCOUNTS → `api_keys`: key hashes, so account keys authenticate on the job routes. */
export class AccountsProjection implements Projection {
  readonly name = 'accounts';

  constructor(readonly stream: string) {}

  async apply(manager: EntityManager, batch: JsMsg[]): Promise<void> {
    for (const msg of batch) {
      const fact = parseJson<AccountFact>(msg);
      if (fact?.type === 'api_key.created') {
        await manager.query(
          `INSERT INTO scheduler.api_keys (id, account_id, key_hash) VALUES ($1, $2, $3)
           ON CONFLICT (id) DO UPDATE SET key_hash = excluded.key_hash`,
          [fact.api_key.id, fact.api_key.account_id, fact.api_key.key_hash],
        );
      } else if (fact?.type === 'api_key.revoked') {
        await manager.query(
          `UPDATE scheduler.api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`,
          [fact.api_key.id, fact.occurred_at],
        );
      }
    }
  }
}

interface MaxDeliveriesAdvisory {
  stream?: string;
  consumer?: string;
  stream_seq?: number;
  deliveries?: number;
  timestamp?: string;
}

/** The scheduler's advisory stream → `advisories`, reconciled after their grace period. */
export class AdvisoriesProjection implements Projection {
  readonly name = 'advisories';

  constructor(readonly stream: string) {}

  async apply(manager: EntityManager, batch: JsMsg[]): Promise<void> {
    for (const msg of batch) {
      const advisory = parseJson<MaxDeliveriesAdvisory>(msg);
      if (!advisory || typeof advisory.stream_seq !== 'number') continue;
      await manager.query(
        `INSERT INTO scheduler.advisories (seq, stream, consumer, stream_seq, deliveries, raised_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (seq) DO NOTHING`,
        [
          msg.seq,
          advisory.stream ?? '',
          advisory.consumer ?? '',
          advisory.stream_seq,
          advisory.deliveries ?? 0,
          advisory.timestamp ?? msg.time.toISOString(),
        ],
      );
    }
  }
}
