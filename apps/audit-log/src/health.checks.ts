import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JetStreamHealth } from '@codeplanet/jetstream';
import { HealthRegistry } from '@codeplanet/service-kit';

/** `/health` is ready only when both links answer. */
@Injectable()
export class HealthChecks implements OnModuleInit {
  constructor(
    private readonly registry: HealthRegistry,
    private readonly nats: JetStreamHealth,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register('nats', () => this.nats.ping());
    this.registry.register('database', async () => {
      await this.dataSource.query('SELECT 1');
      return true;
    });
  }
}
