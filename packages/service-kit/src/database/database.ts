import pg from 'pg';
import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

/** Creates the database named in the URL when it is missing (a fresh machine has none). */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`DATABASE_URL names an unusable database "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`create database "${name}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by another app
      });
    }
  } finally {
    await client.end();
  }
}

export interface AppDataSourceInput {
  url: string;
  /** The app's own schema; its migrations table lives there too. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  /**
   * Plan named prepared statements for their actual parameters every time (`plan_cache_mode=force_custom_plan`):
   * only parsing is saved. A generic plan made while a table was small (sequential scans) would otherwise stay
   * cached on the connection as the table grows. For apps that prepare their hot statements.
   */
  customPlans?: boolean;
}

/**
 * No JIT compilation on the apps' connections. Postgres compiles a statement whose estimated cost passes
 * `jit_above_cost`, and inlines and optimises past 500k: audit-log's deliveries upsert (500 rows, one counting
 * sub-select each) crossed that as the attempts table grew, and spent 463 ms compiling for 36 ms of execution, on
 * every batch (EXPLAIN ANALYZE during the 100k backlog benchmark, ~300k deliveries in the table). Every statement the
 * apps run is short; none gains from JIT.
 */
const NO_JIT = '-c jit=off';

/** Postgres options every app uses: own schema, migrations at boot, never synchronize, no JIT. */
export function dataSourceOptions(input: AppDataSourceInput): DataSourceOptions {
  return {
    type: 'postgres',
    url: input.url,
    schema: input.schema,
    entities: input.entities,
    migrations: input.migrations,
    migrationsTableName: `${input.schema}_migrations`,
    migrationsRun: true,
    synchronize: false,
    extra: {
      max: input.poolSize ?? 10,
      options: input.customPlans ? `${NO_JIT} -c plan_cache_mode=force_custom_plan` : NO_JIT,
    },
    logging: ['error'],
  };
}
