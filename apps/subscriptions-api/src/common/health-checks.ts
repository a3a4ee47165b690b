import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { JetStreamHealth } from '@codeplanet/jetstream';
import { HealthRegistry } from '@codeplanet/service-kit';

/** `/health` is ready only when both links answer: NATS (a round trip) and Postgres (`select 1`). */
@Injectable()
export class HealthChecks implements OnModuleInit {
  constructor(
    private readonly registry: HealthRegistry,
    private readonly nats: JetStreamHealth,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register('nats', () => this.nats.ping());
    this.registry.register('database', async () => {
      if (!this.dataSource.isInitialized) return false;
      await this.dataSource.query('SELECT 1');
      return true;
    });
  }
}
