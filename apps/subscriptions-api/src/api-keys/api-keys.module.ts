import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { ApiKeyEntity } from '../database/entities/index.js';
import { ApiKeysController } from './api-keys.controller.js';
import { API_KEYS_REPOSITORY } from './api-keys.repository.js';
import { ApiKeysService } from './api-keys.service.js';
import { TypeOrmApiKeysRepository } from './typeorm-api-keys.repository.js';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity]), AccountsModule, AuditModule],
  controllers: [ApiKeysController],
  providers: [ApiKeysService, { provide: API_KEYS_REPOSITORY, useClass: TypeOrmApiKeysRepository }],
  exports: [API_KEYS_REPOSITORY],
})
export class ApiKeysModule {}
