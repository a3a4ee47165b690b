import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { dataSourceOptions, ensureDatabaseExists } from '@codeplanet/service-kit';
import { SchedulerSettings } from '../config/env.js';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export const SCHEMA = 'scheduler';
/** Advisory lock key that serialises schema creation and migrations between replicas booting together. */
const MIGRATION_LOCK_KEY = 7_337_400_001;

/**
 * TypeORM on the app's own schema. Replicas boot at the same time, so the schema and migrations are applied under
 * an advisory lock first (the loser of the race then finds nothing to do), and the app's DataSource starts after.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [SchedulerSettings],
      useFactory: async (settings: SchedulerSettings) => {
        const url = settings.env.DATABASE_URL;
        await ensureDatabaseExists(url);
        const options = schedulerDataSourceOptions(url);
        await migrate(url, options);
        return { ...options, migrationsRun: false, retryAttempts: 3 };
      },
    }),
  ],
})
export class DatabaseModule {}

/** The app's DataSource options (also used by tests that run projections against a database of their own). */
export function schedulerDataSourceOptions(url: string): DataSourceOptions {
  // The OUTCOMES projection prepares its statements (service-kit `preparedQuery`).
  return dataSourceOptions({
    url,
    schema: SCHEMA,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    customPlans: true,
  });
}

export async function migrate(url: string, options: DataSourceOptions): Promise<void> {
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS "${SCHEMA}"`);
    const dataSource = new DataSource({ ...options, migrationsRun: false, extra: { max: 1 } });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'all' });
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.end();
  }
}
