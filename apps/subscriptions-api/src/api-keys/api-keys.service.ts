import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { newId } from '@codeplanet/event-schemas';
import { hashApiKey } from '@codeplanet/service-kit';
import { ACCOUNTS_REPOSITORY, type AccountsRepository } from '../accounts/accounts.repository.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { scopeForAdmin } from '../common/account-scope.js';
import { AccountNotFound, ApiKeyNotFound } from '../common/errors.js';
import type { RequestContext } from '../common/request-context.js';
import { FACT_PUBLISHER, type FactPublisher } from '../messaging/fact-publisher.js';
import { API_KEYS_REPOSITORY, type ApiKeysRepository } from './api-keys.repository.js';

export interface CreatedApiKey {
  id: string;
  /** The only time the key exists outside the caller: it is stored as a sha256 hash. */
  key: string;
  prefix: string;
  createdAt: Date;
}

/** `cpk_` + 32 random bytes, base64url. */
export function generateApiKey(): string {
  return `cpk_${randomBytes(32).toString('base64url')}`;
}

@Injectable()
export class ApiKeysService {
  constructor(
    @Inject(ACCOUNTS_REPOSITORY) private readonly accounts: AccountsRepository,
    @Inject(API_KEYS_REPOSITORY) private readonly keys: ApiKeysRepository,
    @Inject(FACT_PUBLISHER) private readonly publisher: FactPublisher,
    private readonly audit: AuditTrail,
  ) {}

  async create(context: RequestContext, accountId: string): Promise<CreatedApiKey> {
    const scope = scopeForAdmin(context.principal, accountId);
    if (!(await this.accounts.find(scope))) throw new AccountNotFound();
    const key = generateApiKey();
    const record = {
      id: newId('key'),
      keyHash: hashApiKey(key),
      prefix: key.slice(0, 10),
      createdAt: new Date(),
      revokedAt: null,
    };
    await this.keys.insert(scope, record);
    const at = record.createdAt.toISOString();
    const fact = {
      type: 'api_key.created' as const,
      api_key: {
        id: record.id,
        account_id: accountId,
        key_hash: record.keyHash,
        prefix: record.prefix,
        created_at: at,
      },
      occurred_at: at,
    };
    try {
      await this.publisher.accountFact(accountId, fact, `api_key.created:${record.id}`);
    } catch (err) {
      await this.keys.remove(scope, record.id);
      throw err;
    }
    await this.audit.record(context, {
      action: 'api_key.create',
      accountId,
      target: { kind: 'api_key', id: record.id },
      details: { prefix: record.prefix },
    });
    return { id: record.id, key, prefix: record.prefix, createdAt: record.createdAt };
  }

  /**
   * Revoked here at once (this app stops accepting the key), then announced on ACCOUNTS so the other apps stop
   * too. Revoking again answers 204 and announces again, so a retry after a failed publish still gets it out.
   */
  async revoke(context: RequestContext, accountId: string, keyId: string): Promise<void> {
    const scope = scopeForAdmin(context.principal, accountId);
    const key = await this.keys.find(scope, keyId);
    if (!key) throw new ApiKeyNotFound();
    const now = new Date();
    const revokedNow = await this.keys.revoke(scope, keyId, now);
    const fact = {
      type: 'api_key.revoked' as const,
      api_key: { id: keyId, account_id: accountId },
      occurred_at: (key.revokedAt ?? now).toISOString(),
    };
    await this.publisher.accountFact(accountId, fact, `api_key.revoked:${keyId}`);
    if (revokedNow) {
      await this.audit.record(context, {
        action: 'api_key.revoke',
        accountId,
        target: { kind: 'api_key', id: keyId },
      });
    }
  }
}
