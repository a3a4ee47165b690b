import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ApiKeyLookup } from '@codeplanet/service-kit';

/** Account keys from this app's own projection of ACCOUNTS (`api_key.created` carries the sha256 of the key). */
@Injectable()
export class ProjectedApiKeys implements ApiKeyLookup {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findAccountByKeyHash(keyHash: string): Promise<{ keyId: string; accountId: string } | null> {
    const rows = await this.db.query<{ id: string; account_id: string }[]>(
      `SELECT id, account_id FROM scheduler.api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    const row = rows[0];
    return row ? { keyId: row.id, accountId: row.account_id } : null;
  }
}
