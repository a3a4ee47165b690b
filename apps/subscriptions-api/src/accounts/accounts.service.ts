import { Inject, Injectable } from '@nestjs/common';
import { newId } from '@codeplanet/event-schemas';
import { AuditTrail } from '../audit/audit-trail.js';
import { scopeForAdmin } from '../common/account-scope.js';
import type { RequestContext } from '../common/request-context.js';
import { FACT_PUBLISHER, type FactPublisher } from '../messaging/fact-publisher.js';
import { ACCOUNTS_REPOSITORY, type AccountRecord, type AccountsRepository } from './accounts.repository.js';

@Injectable()
export class AccountsService {
  constructor(
    @Inject(ACCOUNTS_REPOSITORY) private readonly accounts: AccountsRepository,
    @Inject(FACT_PUBLISHER) private readonly publisher: FactPublisher,
    private readonly audit: AuditTrail,
  ) {}

  /** Row first, then `account.created` on ACCOUNTS; if the fact cannot be published the row is removed again. */
  async create(context: RequestContext, name: string): Promise<AccountRecord> {
    const account: AccountRecord = { id: newId('acct'), name, createdAt: new Date() };
    await this.accounts.insert(account);
    const fact = {
      type: 'account.created' as const,
      account: { id: account.id, name, created_at: account.createdAt.toISOString() },
      occurred_at: account.createdAt.toISOString(),
    };
    try {
      await this.publisher.accountFact(account.id, fact, `account.created:${account.id}`);
    } catch (err) {
      await this.accounts.remove(scopeForAdmin(context.principal, account.id));
      throw err;
    }
    await this.audit.record(context, {
      action: 'account.create',
      accountId: account.id,
      target: { kind: 'account', id: account.id },
    });
    return account;
  }
}
