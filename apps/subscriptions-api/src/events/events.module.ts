import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { IdempotencyKeyEntity } from '../database/entities/index.js';
import { EventsController } from './events.controller.js';
import { IDEMPOTENCY_REPOSITORY } from './idempotency.repository.js';
import { IngestService } from './ingest.service.js';
import { TypeOrmIdempotencyRepository } from './typeorm-idempotency.repository.js';

@Module({
  imports: [TypeOrmModule.forFeature([IdempotencyKeyEntity]), AccountsModule, AuditModule],
  controllers: [EventsController],
  providers: [IngestService, { provide: IDEMPOTENCY_REPOSITORY, useClass: TypeOrmIdempotencyRepository }],
})
export class EventsModule {}
