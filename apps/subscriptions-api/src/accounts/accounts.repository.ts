import type { AccountScope } from '../common/account-scope.js';

export interface AccountRecord {
  id: string;
  name: string;
  createdAt: Date;
}

export interface AccountsRepository {
  insert(account: AccountRecord): Promise<void>;
  /** Undoes `insert` when the account fact could not be published. */
  remove(scope: AccountScope): Promise<void>;
  find(scope: AccountScope): Promise<AccountRecord | null>;
  /** For ingest: does an event's `account_id` name a real account? (Not account data, just existence.) */
  exists(accountId: string): Promise<boolean>;
}

export const ACCOUNTS_REPOSITORY = Symbol('ACCOUNTS_REPOSITORY');
