import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { AccountEntity } from '../database/entities/index.js';
import { ACCOUNTS_REPOSITORY } from './accounts.repository.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsService } from './accounts.service.js';
import { TypeOrmAccountsRepository } from './typeorm-accounts.repository.js';

@Module({
  imports: [TypeOrmModule.forFeature([AccountEntity]), AuditModule],
  controllers: [AccountsController],
  providers: [AccountsService, { provide: ACCOUNTS_REPOSITORY, useClass: TypeOrmAccountsRepository }],
  exports: [ACCOUNTS_REPOSITORY],
})
export class AccountsModule {}
