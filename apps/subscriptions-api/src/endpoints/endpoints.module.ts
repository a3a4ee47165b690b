import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { AppSettings } from '../config/env.js';
import { EndpointEntity } from '../database/entities/index.js';
import { EndpointProjector } from './endpoint-projector.js';
import { EndpointSecretsService } from './endpoint-secrets.service.js';
import { EndpointSupport, SECRET_CIPHER, secretCipherFactory } from './endpoint-support.js';
import { EndpointTestsService } from './endpoint-tests.service.js';
import { EndpointWriter } from './endpoint-writer.js';
import { EndpointsController } from './endpoints.controller.js';
import { ENDPOINT_PROJECTION, ENDPOINTS_REPOSITORY } from './endpoints.repository.js';
import { EndpointsService } from './endpoints.service.js';
import { TypeOrmEndpointsRepository } from './typeorm-endpoints.repository.js';

@Module({
  imports: [TypeOrmModule.forFeature([EndpointEntity]), AuditModule],
  controllers: [EndpointsController],
  providers: [
    TypeOrmEndpointsRepository,
    { provide: ENDPOINTS_REPOSITORY, useExisting: TypeOrmEndpointsRepository },
    { provide: ENDPOINT_PROJECTION, useExisting: TypeOrmEndpointsRepository },
    { provide: SECRET_CIPHER, useFactory: secretCipherFactory, inject: [AppSettings] },
    EndpointSupport,
    EndpointWriter,
    EndpointsService,
    EndpointSecretsService,
    EndpointTestsService,
    EndpointProjector,
  ],
})
export class EndpointsModule {}
