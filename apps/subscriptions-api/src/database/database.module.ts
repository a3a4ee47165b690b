import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { dataSourceOptions, ensureDatabaseExists } from '@codeplanet/service-kit';
import { AppSettings } from '../config/env.js';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export const SCHEMA = 'subscriptions';

/**
 * TypeORM on the app's own schema. The schema is created before TypeORM starts because its migrations table
 * lives there; the migrations then run at boot.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppSettings],
      useFactory: async (settings: AppSettings) => {
        const url = settings.env.DATABASE_URL;
        await ensureDatabaseExists(url);
        await ensureSchema(url, SCHEMA);
        return {
          ...dataSourceOptions({ url, schema: SCHEMA, entities: ENTITIES, migrations: MIGRATIONS }),
          retryAttempts: 3,
        };
      },
    }),
  ],
})
export class DatabaseModule {}

async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}
