import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApiKeyLookup } from '@codeplanet/service-kit';
import { toEnvelope } from '../../projection/reducers/event-row.js';
import { isoOrNull } from '../../views/views.js';
import { Conditions, type Scope } from '../scope.js';

export interface OwnedEndpoint {
  id: string;
  account_id: string;
  enabled: boolean | null;
  deleted_at: string | null;
}

/** Events, endpoints and API keys as projected here. */
@Injectable()
export class CatalogRepository implements ApiKeyLookup {
  constructor(private readonly dataSource: DataSource) {}

  async findAccountByKeyHash(keyHash: string): Promise<{ keyId: string; accountId: string } | null> {
    const [row] = await this.dataSource.query<Array<{ id: string; account_id: string }>>(
      `SELECT id, account_id FROM audit.api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    return row ? { keyId: row.id, accountId: row.account_id } : null;
  }

  async event(scope: Scope, id: string): Promise<Record<string, unknown> | null> {
    const c = new Conditions(scope, 'e.account_id').add('e.id = ?', id);
    const [row] = await this.dataSource.query<Array<Parameters<typeof toEnvelope>[0]>>(
      `SELECT e.* FROM audit.events e WHERE ${c.sql}`,
      c.params,
    );
    return row ? toEnvelope(row) : null;
  }

  /**
   * The endpoint if the scope may see it: from the endpoints projection, or, when ENDPOINTS has not been
   * projected yet, from deliveries to it.
   */
  async endpoint(scope: Scope, id: string): Promise<OwnedEndpoint | null> {
    const c = new Conditions(scope, 'e.account_id').add('e.id = ?', id);
    const [row] = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT e.id, e.account_id, e.enabled, e.deleted_at FROM audit.endpoints e WHERE ${c.sql}`,
      c.params,
    );
    if (row) {
      return {
        id: row.id as string,
        account_id: row.account_id as string,
        enabled: row.enabled as boolean,
        deleted_at: isoOrNull(row.deleted_at),
      };
    }
    const d = new Conditions(scope, 'd.account_id').add('d.endpoint_id = ?', id);
    const [seen] = await this.dataSource.query<Array<{ account_id: string }>>(
      `SELECT d.account_id FROM audit.deliveries d WHERE ${d.sql} LIMIT 1`,
      d.params,
    );
    return seen ? { id, account_id: seen.account_id, enabled: null, deleted_at: null } : null;
  }
}
