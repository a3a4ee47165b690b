import type { EntityManager } from 'typeorm';
import { validateEvent } from '@codeplanet/event-schemas';
import type { ApplyResult, RawFact, StreamProjector } from '../projector.js';
import {
  foldAccountRows,
  foldEndpoints,
  reduceAccountFact,
  reduceEndpointFact,
  type AccountRows,
  type EndpointRow,
} from '../reducers/catalog-reducers.js';
import { toEventRow, type EventRow } from '../reducers/event-row.js';
import { recordset } from '../sql.js';
import { insertEvents } from './outcomes.projector.js';

/** EVENTS → events. Events that fail their schema are not stored here: they show up as `event.rejected`. */
export class EventsProjector implements StreamProjector {
  readonly stream = 'events' as const;

  async apply(tx: EntityManager, facts: readonly RawFact[]): Promise<ApplyResult> {
    const events = new Map<string, EventRow>();
    let invalid = 0;
    for (const fact of facts) {
      const checked = validateEvent(fact.value);
      const row = checked.ok ? toEventRow(checked.event) : undefined;
      if (row) events.set(row.id, row);
      else invalid++;
    }
    await insertEvents(tx, [...events.values()]);
    return { changes: [], invalid };
  }
}

/** ENDPOINTS → endpoints: the newest version of each endpoint wins, whatever order the facts come in. */
export class EndpointsProjector implements StreamProjector {
  readonly stream = 'endpoints' as const;

  async apply(tx: EntityManager, facts: readonly RawFact[]): Promise<ApplyResult> {
    const found: EndpointRow[] = [];
    for (const fact of facts) {
      const row = reduceEndpointFact(fact.value);
      if (row) found.push(row);
    }
    const endpoints = foldEndpoints(found);
    if (endpoints.length > 0) {
      await tx.query(
        `INSERT INTO audit.endpoints AS e (id, account_id, url, events, description, enabled, disabled_reason,
           version, created_at, updated_at, deleted_at)
         SELECT id, account_id, url, ARRAY(SELECT jsonb_array_elements_text(events)), description, enabled,
           disabled_reason, version, created_at, updated_at, deleted_at
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, account_id text, url text, events jsonb,
           description text, enabled boolean, disabled_reason text, version integer, created_at timestamptz,
           updated_at timestamptz, deleted_at timestamptz)
         ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, events = EXCLUDED.events,
           description = EXCLUDED.description, enabled = EXCLUDED.enabled,
           disabled_reason = EXCLUDED.disabled_reason, version = EXCLUDED.version,
           updated_at = EXCLUDED.updated_at, deleted_at = EXCLUDED.deleted_at
         WHERE EXCLUDED.version > e.version`,
        [recordset(endpoints)],
      );
    }
    return { changes: [], invalid: facts.length - found.length };
  }
}

/** ACCOUNTS → accounts, api_keys (by hash, for authentication). A revoked key stays revoked. */
export class AccountsProjector implements StreamProjector {
  readonly stream = 'accounts' as const;

  async apply(tx: EntityManager, facts: readonly RawFact[]): Promise<ApplyResult> {
    const parts: AccountRows[] = [];
    for (const fact of facts) {
      const part = reduceAccountFact(fact.value);
      if (part) parts.push(part);
    }
    const { accounts, apiKeys } = foldAccountRows(parts);
    if (accounts.length > 0) {
      await tx.query(
        `INSERT INTO audit.accounts (id, name, created_at)
         SELECT id, name, created_at FROM jsonb_to_recordset($1::jsonb)
           AS r(id text, name text, created_at timestamptz)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name`,
        [recordset(accounts)],
      );
    }
    if (apiKeys.length > 0) {
      await tx.query(
        `INSERT INTO audit.api_keys AS k (id, account_id, key_hash, prefix, created_at, revoked_at)
         SELECT id, account_id, key_hash, prefix, created_at, revoked_at FROM jsonb_to_recordset($1::jsonb)
           AS r(id text, account_id text, key_hash text, prefix text, created_at timestamptz, revoked_at timestamptz)
         ON CONFLICT (id) DO UPDATE SET key_hash = COALESCE(k.key_hash, EXCLUDED.key_hash),
           prefix = COALESCE(k.prefix, EXCLUDED.prefix), created_at = COALESCE(k.created_at, EXCLUDED.created_at),
           revoked_at = LEAST(k.revoked_at, EXCLUDED.revoked_at)`,
        [recordset(apiKeys)],
      );
    }
    return { changes: [], invalid: facts.length - parts.length };
  }
}
