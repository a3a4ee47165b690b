import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `subscriptions` schema: accounts, API keys, the endpoint projection and ingest idempotency keys. */
export class InitialSchema1733320000000 implements MigrationInterface {
  name = 'InitialSchema1733320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS subscriptions`);
    await q.query(`
      CREATE TABLE subscriptions.accounts (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE subscriptions.api_keys (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES subscriptions.accounts (id),
        key_hash text NOT NULL,
        prefix text NOT NULL,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX api_keys_key_hash ON subscriptions.api_keys (key_hash)`);
    await q.query(`CREATE INDEX api_keys_account ON subscriptions.api_keys (account_id)`);
    await q.query(`
      CREATE TABLE subscriptions.endpoints (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        url text NOT NULL,
        events jsonb NOT NULL,
        description text,
        enabled boolean NOT NULL,
        disabled_reason text,
        secrets jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL,
        stream_seq bigint NOT NULL,
        deleted_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX endpoints_account_live ON subscriptions.endpoints (account_id, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE subscriptions.idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        event jsonb NOT NULL,
        state text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created ON subscriptions.idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE subscriptions.idempotency_keys`);
    await q.query(`DROP TABLE subscriptions.endpoints`);
    await q.query(`DROP TABLE subscriptions.api_keys`);
    await q.query(`DROP TABLE subscriptions.accounts`);
  }
}
