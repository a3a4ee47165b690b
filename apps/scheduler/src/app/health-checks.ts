import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { JetStreamHealth } from '@codeplanet/jetstream';
import { HealthRegistry } from '@codeplanet/service-kit';

/** /health is ready when NATS answers a round trip and Postgres answers a query. */
@Injectable()
export class HealthChecks implements OnModuleInit {
  constructor(
    private readonly registry: HealthRegistry,
    private readonly nats: JetStreamHealth,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register('nats', () => this.nats.ping());
    this.registry.register('database', async () => {
      if (!this.db.isInitialized) return false;
      await this.db.query('SELECT 1');
      return true;
    });
  }
}
