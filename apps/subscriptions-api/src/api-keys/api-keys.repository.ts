import type { ApiKeyLookup } from '@codeplanet/service-kit';
import type { AccountScope } from '../common/account-scope.js';

export interface ApiKeyRecord {
  id: string;
  accountId: string;
  keyHash: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Also the auth guard's lookup: a key hash → its account, only while the key is not revoked. */
export interface ApiKeysRepository extends ApiKeyLookup {
  insert(scope: AccountScope, key: Omit<ApiKeyRecord, 'accountId'>): Promise<void>;
  remove(scope: AccountScope, keyId: string): Promise<void>;
  find(scope: AccountScope, keyId: string): Promise<ApiKeyRecord | null>;
  /** Sets `revoked_at` if the key is still active; false when it was already revoked. */
  revoke(scope: AccountScope, keyId: string, at: Date): Promise<boolean>;
}

export const API_KEYS_REPOSITORY = Symbol('API_KEYS_REPOSITORY');
