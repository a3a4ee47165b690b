import { Global, Module } from '@nestjs/common';
import { FACT_PUBLISHER } from './fact-publisher.js';
import { NatsFactPublisher } from './nats-fact-publisher.js';

@Global()
@Module({ providers: [{ provide: FACT_PUBLISHER, useClass: NatsFactPublisher }], exports: [FACT_PUBLISHER] })
export class MessagingModule {}
