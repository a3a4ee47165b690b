import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import type { AccountScope } from '../common/account-scope.js';
import { ApiKeyEntity } from '../database/entities/index.js';
import type { ApiKeyRecord, ApiKeysRepository } from './api-keys.repository.js';

@Injectable()
export class TypeOrmApiKeysRepository implements ApiKeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  async insert(scope: AccountScope, key: Omit<ApiKeyRecord, 'accountId'>): Promise<void> {
    await this.keys.insert({ ...key, accountId: scope.accountId });
  }

  async remove(scope: AccountScope, keyId: string): Promise<void> {
    await this.keys.delete({ id: keyId, accountId: scope.accountId });
  }

  async find(scope: AccountScope, keyId: string): Promise<ApiKeyRecord | null> {
    return this.keys.findOneBy({ id: keyId, accountId: scope.accountId });
  }

  async revoke(scope: AccountScope, keyId: string, at: Date): Promise<boolean> {
    const result = await this.keys.update(
      { id: keyId, accountId: scope.accountId, revokedAt: IsNull() },
      { revokedAt: at },
    );
    return (result.affected ?? 0) > 0;
  }

  async findAccountByKeyHash(keyHash: string): Promise<{ keyId: string; accountId: string } | null> {
    const key = await this.keys.findOneBy({ keyHash, revokedAt: IsNull() });
    return key ? { keyId: key.id, accountId: key.accountId } : null;
  }
}
