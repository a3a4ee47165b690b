import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { AccountScope } from '../common/account-scope.js';
import { AccountEntity } from '../database/entities/index.js';
import type { AccountRecord, AccountsRepository } from './accounts.repository.js';

@Injectable()
export class TypeOrmAccountsRepository implements AccountsRepository {
  constructor(@InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>) {}

  async insert(account: AccountRecord): Promise<void> {
    await this.accounts.insert(account);
  }

  async remove(scope: AccountScope): Promise<void> {
    await this.accounts.delete({ id: scope.accountId });
  }

  async find(scope: AccountScope): Promise<AccountRecord | null> {
    return this.accounts.findOneBy({ id: scope.accountId });
  }

  async exists(accountId: string): Promise<boolean> {
    return this.accounts.existsBy({ id: accountId });
  }
}
