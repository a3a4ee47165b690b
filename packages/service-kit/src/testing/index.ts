import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A stream prefix no other suite uses: `t` + 10 random chars. */
export function uniquePrefix(): string {
  return `t${randomBytes(8).toString('hex').slice(0, 10)}`;
}

export const TEST_SERVER_URL = process.env.DATABASE_URL
  ? serverUrlOf(process.env.DATABASE_URL)
  : 'postgres://postgres@127.0.0.1:5432';

function serverUrlOf(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '';
  return parsed.toString().replace(/\/$/, '');
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database per suite, dropped afterwards (leftovers from a killed run are named cpw_t_* and harmless). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `cpw_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database "${name}"`);
  return {
    url: `${TEST_SERVER_URL}/${name}`,
    name,
    drop: () => adminQuery(`drop database if exists "${name}" with (force)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${TEST_SERVER_URL}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Polls until `check` returns a truthy value, or fails with the last error after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  { timeoutMs = 10_000, intervalMs = 25, what = 'condition' } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
