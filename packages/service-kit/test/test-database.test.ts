import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ensureDatabaseExists } from '../src/index.js';
import { createTestDatabase, uniquePrefix, waitFor } from '../src/testing/index.js';

describe('test helpers against the real Postgres', () => {
  it('creates, uses and drops a database of its own', async () => {
    const database = await createTestDatabase();
    await ensureDatabaseExists(database.url); // already there: no error
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const result = await client.query<{ name: string }>('select current_database() as name');
    await client.end();
    expect(result.rows[0]?.name).toBe(database.name);
    await database.drop();
  });

  it('gives distinct prefixes and waits for a condition', async () => {
    expect(uniquePrefix()).not.toBe(uniquePrefix());
    let calls = 0;
    await expect(waitFor(() => ++calls >= 3)).resolves.toBe(true);
    await expect(waitFor(() => false, { timeoutMs: 50, what: 'never' })).rejects.toThrow('waiting for never');
  });
});
