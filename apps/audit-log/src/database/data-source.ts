import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { dataSourceOptions, ensureDatabaseExists } from '@codeplanet/service-kit';
import { AUDIT_ENTITIES } from './entities/index.js';
import { CreateAuditProjections1733300000000 } from './migrations/1733300000000-CreateAuditProjections.js';
import { RetentionPurges1733600000000 } from './migrations/1733600000000-RetentionPurges.js';
import { DeliveriesHotUpdates1734000000000 } from './migrations/1734000000000-DeliveriesHotUpdates.js';

export const AUDIT_SCHEMA = 'audit';

export function auditDataSourceOptions(url: string): DataSourceOptions {
  return dataSourceOptions({
    url,
    schema: AUDIT_SCHEMA,
    entities: AUDIT_ENTITIES,
    migrations: [
      CreateAuditProjections1733300000000,
      RetentionPurges1733600000000,
      DeliveriesHotUpdates1734000000000,
    ],
    // The projections prepare their per-batch statements (service-kit `preparedQuery`).
    customPlans: true,
  });
}

/** Database and schema must exist before TypeORM creates its migrations table inside the schema. */
export async function prepareDatabase(url: string): Promise<void> {
  await ensureDatabaseExists(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${AUDIT_SCHEMA}`).catch((error: { code?: string }) => {
      if (error.code !== '23505' && error.code !== '42P06') throw error; // created meanwhile by a replica
    });
  } finally {
    await client.end();
  }
}

/**
 * Initializes (and so migrates) under a Postgres advisory lock: replicas booting together would otherwise run the
 * same migration twice, and the second one fails on "relation already exists".
 */
export async function initializeAuditDataSource(
  options: DataSourceOptions,
  url: string,
): Promise<DataSource> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('codeplanet.audit.migrations'))`);
    return await new DataSource(options).initialize();
  } finally {
    await client.end(); // ends the session, which releases the lock
  }
}

/** A migrated DataSource outside Nest (the rebuild command, tests). */
export async function openAuditDataSource(url: string): Promise<DataSource> {
  await prepareDatabase(url);
  return initializeAuditDataSource(auditDataSourceOptions(url), url);
}
